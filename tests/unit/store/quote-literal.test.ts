/**
 * The literals of PGlite's `execute name(…)` (services/store/sql/driver.ts): `quoteLiteral` must
 * write every string exactly as pg's own `escapeLiteral` does, or a value could change on its way
 * into the database (or end the literal early).
 */
import pg from 'pg';
import { quoteLiteral } from '../../../services/store/sql/driver';

describe('quoteLiteral', () => {
  const cases = [
    '',
    'plain',
    "it's",
    "''",
    'back\\slash',
    "both ' and \\ here \\'",
    '\\',
    "'",
    '{"title":"压测案件 O\'Brien","path":"C:\\\\data","n":1}',
    '第一行\n第二行\t制表符 \u0000? no: \u0001',
    '😀 emoji and 汉字',
  ];

  it.each(cases)('when the text is %j, then it is quoted as pg.escapeLiteral quotes it', (text) => {
    expect(quoteLiteral(text)).toBe(pg.escapeLiteral(text));
  });

  it('when random texts of quotes, backslashes and letters are quoted, then every one matches pg.escapeLiteral', () => {
    const alphabet = ["'", '\\', 'a', '汉', '"', ' ', '\n'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(next() * 20) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(quoteLiteral(text)).toBe(pg.escapeLiteral(text));
    }
  });
});
