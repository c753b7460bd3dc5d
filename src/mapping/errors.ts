/** A mapfile that cannot be used: the message names the file, the entry index and the field. */
export class MapfileError extends Error {
  constructor(
    readonly file: string,
    /** 0-based index in `mappings`, or -1 for a file-level problem. */
    readonly entryIndex: number,
    /** Field path inside the entry, e.g. "deprecated.kind" (or the top-level key). */
    readonly field: string,
    detail: string,
  ) {
    super(entryIndex >= 0 ? `${file}: mappings[${entryIndex}].${field}: ${detail}` : `${file}: ${field}: ${detail}`);
    this.name = 'MapfileError';
  }
}
