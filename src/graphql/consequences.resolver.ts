import { Args, Query, Resolver } from '@nestjs/graphql';
import { ConsequenceQueries } from '../consequences/consequence-queries.js';
import { IsId } from './input-rules.js';
import type { GradeConsequence } from './schema.types.js';

export class PersonArgs {
  @IsId()
  personId: string;
}

@Resolver()
export class ConsequencesResolver {
  constructor(private readonly consequences: ConsequenceQueries) {}

  @Query('gradeConsequences')
  gradeConsequences(@Args() args: PersonArgs): Promise<GradeConsequence[]> {
    return this.consequences.ofPerson(args.personId);
  }
}
