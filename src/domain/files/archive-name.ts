// Names of entries in a ZIP of documents. Document names are free text ("../../x", "C:\\x", "/etc/cron.d/x"), and
// an archive entry named like that writes outside the folder of whoever extracts it (zip-slip): entries are reduced
// to a plain base name, and made unique the way case-insensitive file systems compare them.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Characters Windows refuses in a file name (a drive colon, wildcards, redirections).
const RESERVED = /[<>:"|?*]/g;

/** A single safe path segment for `name`: no separators, no drive, no control characters, never "." or "..". */
export function safeEntryName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(CONTROL, '').replace(RESERVED, '_').trim().replace(/^\.+$/, '');
  return cleaned === '' ? 'file' : cleaned;
}

/** Safe, unique entry names for `names`, in order: repeats become "name (1).ext", "name (2).ext"… */
export function uniqueEntryNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((raw) => {
    const name = safeEntryName(raw);
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let n = 1; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
