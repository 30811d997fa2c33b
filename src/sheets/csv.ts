/** RFC 4180 CSV: quoted fields may hold commas, quotes ("" inside quotes) and line breaks; CRLF or LF. */
export class CsvProblem extends Error {}

/** Records in file order, each with the row number Excel would show for it (1 = the header). */
export function parseCsv(text: string): Array<{ row: number; fields: string[] }> {
  const records: Array<{ row: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let row = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ row, fields });
    fields = [];
    row++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else (quoted = false), (afterQuote = true);
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else if (afterQuote) throw new CsvProblem(`row ${row}: text after a closing quote; a quoted field must end at a comma or the end of the line`);
    else if (ch === '"' && field === '') quoted = true;
    else if (ch === '"') throw new CsvProblem(`row ${row}: a quote inside an unquoted field; put the whole field in quotes and double the quote ("")`);
    else field += ch;
  }
  if (quoted) throw new CsvProblem(`row ${row}: a quoted field is never closed`);
  // A final line break ends the last record; it does not start an empty one.
  if (field !== '' || fields.length || afterQuote) endRecord();
  return records;
}

const needsQuotes = /[",\r\n]|^\s|\s$/;

/** Writes records as RFC 4180 CSV with CRLF line ends, quoting only where needed. */
export function writeCsv(records: string[][]): string {
  return records.map((r) => r.map((f) => (needsQuotes.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\r\n') + '\r\n';
}
