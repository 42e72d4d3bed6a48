import { describe, expect, it } from 'vitest';
import { parseCsv, stockRows } from '../../../web/console/src/csv';

describe('the console’s stock CSV reader', () => {
  it('reads quoted fields, doubled quotes, CRLF and LF, a byte-order mark, and skips blank lines', () => {
    const text =
      '\uFEFFserialNumber,model\r\n"LKL0001","A8 ""Pro"""\r\n\r\nLKL0002,A920\n"LKL,3","two\nlines"\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['serialNumber', 'model'] },
      { line: 2, cells: ['LKL0001', 'A8 "Pro"'] },
      { line: 4, cells: ['LKL0002', 'A920'] },
      { line: 5, cells: ['LKL,3', 'two\nlines'] },
    ]);
  });

  it('takes terminals with or without the header line, trimmed, keeping each row’s line number', () => {
    expect(stockRows('serialNumber,model\n LKL0001 , A8 \nLKL0002')).toEqual([
      { line: 2, serialNumber: 'LKL0001', model: 'A8' },
      { line: 3, serialNumber: 'LKL0002', model: '' },
    ]);
    expect(stockRows('LKL0001,A8')).toEqual([{ line: 1, serialNumber: 'LKL0001', model: 'A8' }]);
    expect(stockRows('')).toEqual([]);
  });
});
