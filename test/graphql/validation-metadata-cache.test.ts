import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, Max, MinLength, validateSync } from 'class-validator';
import { keepValidationMetadataLookups } from '../../src/graphql/validation-metadata-cache.js';

class Indicator {
  @IsString()
  indicatorId!: string;

  @IsInt()
  @Max(40)
  points!: number;
}

class NamedIndicator extends Indicator {
  @IsString()
  @MinLength(2, { groups: ['named'] })
  name!: string;
}

function of<T extends object>(type: new () => T, values: Partial<T>): T {
  return Object.assign(new type(), values);
}

const failures = (value: object, groups?: string[]) =>
  validateSync(value, groups ? { groups } : {})
    .map((error) => `${error.property}: ${Object.keys(error.constraints ?? {}).sort().join(',')}`)
    .sort();

describe('class-validator metadata kept per class', () => {
  const storage = getMetadataStorage();
  const before = {
    indicator: failures(of(Indicator, { indicatorId: 'quality', points: 41 })),
    named: failures(of(NamedIndicator, { indicatorId: 'q', points: 'x' as unknown as number, name: 'n' })),
    namedInGroup: failures(of(NamedIndicator, { indicatorId: 'q', points: 1, name: 'n' }), ['named']),
  };

  beforeAll(() => keepValidationMetadataLookups());

  it('validates as before, inherited rules and groups included, and answers a class from what it kept', () => {
    expect(before.indicator).toEqual(['points: max']);
    expect(before.named).toEqual(['name: minLength', 'points: isInt,max']);
    expect(before.namedInGroup).toEqual(['name: minLength']);
    expect(failures(of(Indicator, { indicatorId: 'quality', points: 41 }))).toEqual(before.indicator);
    expect(failures(of(NamedIndicator, { indicatorId: 'q', points: 'x' as unknown as number, name: 'n' }))).toEqual(before.named);
    expect(failures(of(NamedIndicator, { indicatorId: 'q', points: 1, name: 'n' }), ['named'])).toEqual(before.namedInGroup);

    const first = storage.getTargetValidationMetadatas(NamedIndicator, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(NamedIndicator, '', false, false, undefined)).toBe(first);
    expect(storage.getTargetValidationMetadatas(NamedIndicator, '', false, false, ['named'])).not.toBe(first);
  });

  it('forgets what it kept when a rule is registered later', () => {
    const kept = storage.getTargetValidationMetadatas(Indicator, '', false, false, undefined);
    class Late {
      @IsString()
      text!: string;
    }
    expect(storage.getTargetValidationMetadatas(Indicator, '', false, false, undefined)).not.toBe(kept);
    expect(failures(of(Late, { text: 1 as unknown as string }))).toEqual(['text: isString']);
  });
});
