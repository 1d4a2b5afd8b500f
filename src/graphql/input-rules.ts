import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

const allowed = (text: string) => ({ context: { allowed: text } });

/** `each`: the rule applies to every item of a list. */
interface RuleOptions {
  each?: boolean;
}

/** Text of `min` to `max` characters. */
export const IsText = (min: number, max: number, options: RuleOptions = {}) =>
  applyDecorators(
    IsString({ ...options, ...allowed(`text of ${min} to ${max} characters`) }),
    Length(min, max, { ...options, ...allowed(`${min} to ${max} characters`) }),
  );

/** Free text that may be empty: reasons and opinions the rules do not require. */
export const IsNote = (max: number) => applyDecorators(IsString(allowed(`text of up to ${max} characters`)), MaxLength(max, allowed(`up to ${max} characters`)));

/** An id: 1 to 100 characters. */
export const IsId = (options: RuleOptions = {}) => IsText(1, 100, options);

/** An appraisal record id `<organizationId>.<personId>.<period>`. */
export const IsRecordId = () => IsText(1, 250);

/** A calendar day written YYYY-MM-DD (whether the day exists is the domain's check). */
export const IsDay = () => Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD', ...allowed('a date YYYY-MM-DD') });

/** One value of a closed list. */
export const IsOneOf = (values: readonly string[]) => IsIn([...values], allowed(values.join(', ')));

export const IsWholeNumber = (min: number, max: number) =>
  applyDecorators(IsInt(allowed(`a whole number from ${min} to ${max}`)), Min(min, allowed(`${min} to ${max}`)), Max(max, allowed(`${min} to ${max}`)));

/** A number with at most two decimals. */
export const IsPoints = (min: number, max: number) =>
  applyDecorators(
    IsNumber({ maxDecimalPlaces: 2 }, allowed(`a number with at most two decimals from ${min} to ${max}`)),
    Min(min, allowed(`${min} to ${max}`)),
    Max(max, allowed(`${min} to ${max}`)),
  );

/** Every value of a closed list, written as a record so that a missing or unknown value does not compile. */
export function valuesOf<T extends string>(members: Record<T, true>): readonly T[] {
  return Object.keys(members) as T[];
}

/** The optional idempotency key of a mutation. */
export const IsCommandId = () => applyDecorators(IsOptional(), IsText(1, 100));

/** Every mutation input: the optional idempotency key. */
export abstract class CommandInput {
  @IsCommandId()
  commandId?: string | null;
}
