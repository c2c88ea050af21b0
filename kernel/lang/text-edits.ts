/**
 * A list of non-overlapping text replacements applied in one pass, remembering where each piece
 * of the output came from so positions in the output (a stack frame's column) map back to the
 * input. The cell rewrite only ever inserts or removes text within a line, so lines stay aligned
 * and only columns need this table.
 */

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface EditedText {
  readonly text: string;
  /** Offset in the original text for an offset in the edited text (inserted text maps to its edit's start). */
  toOriginal(offset: number): number;
}

interface Segment {
  readonly editedStart: number;
  readonly originalStart: number;
  /** True for unchanged original text (offsets inside it map one to one). */
  readonly verbatim: boolean;
}

export function applyEdits(original: string, edits: readonly TextEdit[]): EditedText {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  const segments: Segment[] = [];
  let cursor = 0;
  let editedLength = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start} (cursor ${cursor})`);
    if (edit.start > cursor) {
      segments.push({ editedStart: editedLength, originalStart: cursor, verbatim: true });
      parts.push(original.slice(cursor, edit.start));
      editedLength += edit.start - cursor;
    }
    if (edit.text.length > 0) {
      segments.push({ editedStart: editedLength, originalStart: edit.start, verbatim: false });
      parts.push(edit.text);
      editedLength += edit.text.length;
    }
    cursor = edit.end;
  }
  segments.push({ editedStart: editedLength, originalStart: cursor, verbatim: true });
  parts.push(original.slice(cursor));
  const text = parts.join("");
  return {
    text,
    toOriginal(offset: number): number {
      let low = 0;
      let high = segments.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (segments[mid]!.editedStart <= offset) low = mid;
        else high = mid - 1;
      }
      const segment = segments[low]!;
      return segment.verbatim ? segment.originalStart + (offset - segment.editedStart) : segment.originalStart;
    },
  };
}

/** Replacement text padded with the newlines of the replaced span, so later lines keep their numbers. */
export function keepLineCount(replaced: string, replacement: string): string {
  let newlines = 0;
  for (let i = 0; i < replaced.length; i++) if (replaced.charCodeAt(i) === 10) newlines++;
  return replacement + "\n".repeat(newlines);
}
