// The HTML report's font stack: installed fonts only, no web fonts (so the page makes no requests).
// DejaVu Sans first, the face the PNG/SVG charts are drawn with (see font.ts).
export const CSS_FONT_STACK = '"DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif';
