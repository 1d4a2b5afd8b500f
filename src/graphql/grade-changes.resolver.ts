import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSub } from 'mercurius';
import { GRADE_CHANGED_TOPIC } from './grade-changes.js';
import type { GradeChange } from './schema.types.js';

/**
 * The values of `source` that `keep` accepts. Not an async generator: ending the subscription must
 * close the source at once, even while a `next()` waits for the next change.
 */
function only<T>(values: AsyncIterable<T>, keep: (value: T) => boolean): AsyncIterableIterator<T> {
  const source = values[Symbol.asyncIterator]();
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

@Resolver()
export class GradeChangesResolver {
  /**
   * Filtered here rather than with the decorator's `filter`, which subscribes lazily: the access
   * check must run (and a refusal answer FORBIDDEN) when the client subscribes.
   */
  @Subscription('gradeChanged')
  async gradeChanged(@Args('organizationId') organizationId: string, @Context('pubsub') pubsub: PubSub): Promise<AsyncIterableIterator<{ gradeChanged: GradeChange }>> {
    const changes = (await pubsub.subscribe(GRADE_CHANGED_TOPIC)) as AsyncIterable<{ gradeChanged: GradeChange }>;
    return only(changes, (payload) => payload.gradeChanged.organizationId === organizationId);
  }
}
