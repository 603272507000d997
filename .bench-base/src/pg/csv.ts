// RFC 4180 CSV as psql --csv writes it: quoted fields may hold commas, quotes ("") and newlines.

/** Parses CSV text into records of fields. A trailing newline ends the last record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2)
      else if (c === '"') (quoted = false), i++
      else (field += c), i++
      continue
    }
    if (c === '"') quoted = true
    else if (c === ',') record.push(field), (field = '')
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      record.push(field), records.push(record), (record = []), (field = '')
    } else field += c
    i++
  }
  if (field !== '' || record.length > 0) record.push(field), records.push(record)
  return records
}
