/**
 * A 3×5 pixel font with just the characters the chart writes: digits and '-' for dates and counts,
 * and the capitals of the legend. Each glyph is five rows, '#' for a lit pixel.
 */
const GLYPHS: Record<string, string> = {
  '0': '### #.# #.# #.# ###', '1': '.#. ##. .#. .#. ###', '2': '### ..# ### #.. ###', '3': '### ..# ### ..# ###',
  '4': '#.# #.# ### ..# ..#', '5': '### #.. ### ..# ###', '6': '### #.. ### #.# ###', '7': '### ..# ..# ..# ..#',
  '8': '### #.# ### #.# ###', '9': '### #.# ### ..# ###', '-': '... ... ### ... ...', ' ': '... ... ... ... ...',
  A: '.#. #.# ### #.# #.#', C: '.## #.. #.. #.. .##', D: '##. #.# #.# #.# ##.', E: '### #.. ##. #.. ###',
  F: '### #.. ##. #.. #..', I: '### .#. .#. .#. ###', L: '#.. #.. #.. #.. ###', S: '.## #.. .#. ..# ##.',
  U: '#.# #.# #.# #.# ###',
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** Lit pixels of a character as [column, row] pairs; unknown characters draw as blank space. */
export function glyphPixels(ch: string): Array<[number, number]> {
  const rows = (GLYPHS[ch] ?? GLYPHS[' ']!).split(' ');
  return rows.flatMap((row, y) => [...row].flatMap((c, x): Array<[number, number]> => (c === '#' ? [[x, y]] : [])));
}
