import { Context, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSub } from 'mercurius';
import { GRADE_CHANGED_TOPIC } from './grade-changes.js';
import type { GradeChange } from './schema.types.js';

@Resolver()
export class GradeChangesResolver {
  @Subscription('gradeChanged', {
    filter: (payload: { gradeChanged: GradeChange }, variables: { organizationId: string }) =>
      payload.gradeChanged.organizationId === variables.organizationId,
  })
  gradeChanged(@Context('pubsub') pubsub: PubSub) {
    return pubsub.subscribe(GRADE_CHANGED_TOPIC);
  }
}
