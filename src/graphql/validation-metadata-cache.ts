import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;

let installed = false;

/**
 * class-validator finds a class's rules by scanning every class it knows, on every validation of
 * every object (typestack/class-validator#2686): on the command path that scan cost more than
 * the rules themselves. A class's rules are registered when the class (and so each class it
 * extends) is defined, before anything can be validated against it, so the answer for a class and
 * its options is kept; registering any rule later forgets every kept answer. The validator only
 * reads what it is given.
 */
export function keepValidationMetadataLookups(): void {
  if (installed) return;
  installed = true;
  const storage: MetadataStorage = getMetadataStorage();
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  let kept = new WeakMap<object, Map<string, TargetMetadatas>>();
  storage.addValidationMetadata = (metadata) => {
    kept = new WeakMap();
    addValidationMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const key = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = kept.get(targetConstructor);
    if (!byOptions) {
      byOptions = new Map();
      kept.set(targetConstructor, byOptions);
    }
    let metadatas = byOptions.get(key);
    if (!metadatas) {
      metadatas = lookUp(targetConstructor, targetSchema, always, strictGroups, groups);
      byOptions.set(key, metadatas);
    }
    return metadatas;
  };
}
