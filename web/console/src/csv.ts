/**
 * RFC 4180 CSV, as spreadsheets save it: comma-separated, fields optionally in double quotes (a
 * doubled quote inside is one quote), CRLF or LF line ends, an optional UTF-8 byte-order mark. Blank
 * lines are skipped. Each row keeps its 1-based line number for the import report.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  const source = text.replace(/^\uFEFF/, '');
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((value) => value.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** One terminal of a stock file, with its line number. */
export interface StockRow {
  readonly line: number;
  readonly serialNumber: string;
  readonly model: string;
}

/** The terminals of a stock CSV (`serialNumber,model`, with or without that header line). */
export function stockRows(text: string): StockRow[] {
  const rows = parseCsv(text);
  const first = rows[0]?.cells.map((cell) => cell.trim().toLowerCase());
  const body = first && first[0] === 'serialnumber' ? rows.slice(1) : rows;
  return body.map((row) => ({
    line: row.line,
    serialNumber: (row.cells[0] ?? '').trim(),
    model: (row.cells[1] ?? '').trim(),
  }));
}
