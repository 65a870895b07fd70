package cli

import (
	"strings"
	"unicode"
)

// table renders like the Python prettytable module as the st2 CLI
// configures it: left-aligned, top-aligned, one space of padding, "+---+"
// borders, a header row, and cells wrapped (with Python's textwrap) to
// each column's maximum width.
type table struct {
	fields   []string
	maxWidth []int // 0 = unlimited
	rows     [][]string
	header   bool
	// rightPad overrides the right padding (SingleRowTable's note box).
	rightPad int
}

func newTable(fields []string, maxWidths []int) *table {
	mw := make([]int, len(fields))
	copy(mw, maxWidths)
	return &table{fields: fields, maxWidth: mw, header: true, rightPad: 1}
}

func (t *table) addRow(cells []string) { t.rows = append(t.rows, cells) }

func textWidth(s string) int { return len([]rune(s)) }

func blockWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, textWidth(l))
	}
	return w
}

// String renders the table; it ends without a newline.
func (t *table) String() string {
	widths := make([]int, len(t.fields))
	if t.header {
		for i, f := range t.fields {
			widths[i] = blockWidth(f)
		}
	}
	for _, row := range t.rows {
		for i := range t.fields {
			w := blockWidth(cell(row, i))
			if t.maxWidth[i] > 0 {
				w = min(w, t.maxWidth[i])
			}
			widths[i] = max(widths[i], w)
		}
	}
	var b strings.Builder
	hrule := "+"
	for _, w := range widths {
		hrule += strings.Repeat("-", w+1+t.rightPad) + "+"
	}
	b.WriteString(hrule)
	if t.header {
		b.WriteString("\n")
		t.writeLines(&b, [][]string{t.fields}, widths)
		b.WriteString("\n" + hrule)
	}
	for _, row := range t.rows {
		lines := make([][]string, len(t.fields))
		for i := range t.fields {
			var out []string
			for _, l := range strings.Split(cell(row, i), "\n") {
				if textWidth(l) > widths[i] {
					out = append(out, textWrap(l, widths[i])...)
				} else {
					out = append(out, l)
				}
			}
			lines[i] = out
		}
		b.WriteString("\n")
		t.writeCellLines(&b, lines, widths)
	}
	if len(t.rows) > 0 || t.header {
		b.WriteString("\n" + hrule)
	}
	return b.String()
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func (t *table) writeLines(b *strings.Builder, rows [][]string, widths []int) {
	for _, row := range rows {
		lines := make([][]string, len(row))
		for i, c := range row {
			lines[i] = strings.Split(c, "\n")
		}
		t.writeCellLines(b, lines, widths)
	}
}

func (t *table) writeCellLines(b *strings.Builder, lines [][]string, widths []int) {
	height := 0
	for _, l := range lines {
		height = max(height, len(l))
	}
	for y := range height {
		if y > 0 {
			b.WriteString("\n")
		}
		b.WriteString("|")
		for i, w := range widths {
			s := ""
			if y < len(lines[i]) {
				s = lines[i][y]
			}
			b.WriteString(" " + s + strings.Repeat(" ", max(0, w-textWidth(s))) + strings.Repeat(" ", t.rightPad) + "|")
		}
	}
}

// textWrap splits one line into lines of at most width characters the way
// Python's textwrap.wrap does with its defaults (break on whitespace and
// after hyphens in words, break long words, drop whitespace at line ends).
func textWrap(text string, width int) []string {
	rs := []rune(expandTabs(text))
	for i, r := range rs {
		if r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' {
			rs[i] = ' '
		}
	}
	chunks := wrapChunks(rs)
	// Process chunks in order, as textwrap does with its reversed list.
	var lines []string
	i := 0
	for i < len(chunks) {
		var cur [][]rune
		curLen := 0
		if len(lines) > 0 && strings.TrimSpace(string(chunks[i])) == "" {
			i++
			if i >= len(chunks) {
				break
			}
		}
		for i < len(chunks) {
			l := len(chunks[i])
			if curLen+l <= width {
				cur = append(cur, chunks[i])
				curLen += l
				i++
			} else {
				break
			}
		}
		if i < len(chunks) && len(chunks[i]) > width {
			spaceLeft := width - curLen
			if width < 1 {
				spaceLeft = 1
			}
			chunk := chunks[i]
			end := spaceLeft
			if len(chunk) > spaceLeft {
				if h := lastIndexRune(chunk[:spaceLeft], '-'); h > 0 && strings.Trim(string(chunk[:h]), "-") != "" {
					end = h + 1
				}
			}
			cur = append(cur, chunk[:end])
			chunks[i] = chunk[end:]
		}
		if len(cur) > 0 && strings.TrimSpace(string(cur[len(cur)-1])) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			var sb strings.Builder
			for _, c := range cur {
				sb.WriteString(string(c))
			}
			lines = append(lines, sb.String())
		}
	}
	return lines
}

func lastIndexRune(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// wrapChunks splits text into textwrap's chunks: runs of spaces, and words,
// where a hyphenated word ("local-shell") splits after each hyphen that
// follows two letters (or letter-hyphen-letter) and precedes a letter.
func wrapChunks(rs []rune) [][]rune {
	isLetter := func(r rune) bool { return unicode.IsLetter(r) || r == '_' }
	letterAt := func(i int) bool { return i >= 0 && i < len(rs) && isLetter(rs[i]) }
	var chunks [][]rune
	i := 0
	for i < len(rs) {
		start := i
		if rs[i] == ' ' {
			for i < len(rs) && rs[i] == ' ' {
				i++
			}
			chunks = append(chunks, rs[start:i])
			continue
		}
		for i < len(rs) && rs[i] != ' ' {
			if rs[i] == '-' && i > start {
				// (?<=lt{2}-) or (?<=lt-lt-), then (?=lt -? lt)
				before := (letterAt(i-1) && letterAt(i-2)) || (letterAt(i-1) && i-2 >= 0 && rs[i-2] == '-' && letterAt(i-3))
				after := letterAt(i+1) && (letterAt(i+2) || (i+2 < len(rs) && rs[i+2] == '-' && letterAt(i+3)))
				if before && after {
					i++
					break
				}
			}
			i++
		}
		chunks = append(chunks, rs[start:i])
	}
	return chunks
}
