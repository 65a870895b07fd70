package cli

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pyfmt"
)

// The formatters of StackStorm's CLI (st2client/formatters): multi-column
// tables for lists, Property/Value tables for single resources, the
// "key: value" execution view, and -j / -y documents.

type transforms map[string]func(any) any

const (
	minIDColWidth  = 26
	minColWidth    = 5
	statusColWidth = 24
	defaultColumns = 150
)

var defaultDisplayOrder = []string{"id", "name", "pack", "description"}

// unescape undoes the escaping executions apply to results (a literal \n
// stored as two characters), as the st2 CLI does before printing.
func unescape(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.ReplaceAll(s, `\r`, "\r")
	s = strings.ReplaceAll(s, `\"`, `"`)
	return s
}

func stripCR(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	s = strings.ReplaceAll(s, `\r`, "")
	return strings.ReplaceAll(s, "\r", "")
}

func isEmptyCollection(v any) bool {
	switch t := v.(type) {
	case *client.Object:
		return t.Len() == 0
	case []any:
		return len(t) == 0
	}
	return false
}

// columnWidths computes MultiColumnTable's per-column maximum widths.
func (a *app) columnWidths(entries []*client.Object, attrs []string, widths []int) []int {
	if len(widths) > 0 || len(attrs) == 0 {
		return widths
	}
	cols := a.terminalColumns()
	var colWidth, first int
	if attrs[0] == "id" {
		first = minIDColWidth
		for _, e := range entries {
			first = max(first, textWidth(pyfmt.Str(valueOr(e, "id", ""))))
		}
		colWidth = int(math.Floor(float64(cols-first) / float64(len(attrs))))
	} else {
		colWidth = int(math.Floor(float64(cols) / float64(len(attrs))))
		first = colWidth
	}
	out := []int{}
	subtract := 0
	for i, name := range attrs {
		if i == 0 {
			out = append(out, first)
			continue
		}
		w := colWidth
		if name == "status" {
			w = statusColWidth
			subtract += statusColWidth - colWidth
		} else if i == len(attrs)-1 && subtract != 0 {
			w = colWidth - subtract
			if w <= minColWidth {
				w = minColWidth
			}
		}
		out = append(out, w)
	}
	return out
}

func (a *app) terminalColumns() int {
	if c, err := strconv.Atoi(a.env["COLUMNS"]); err == nil {
		return c
	}
	if a.termWidth != nil {
		if w := a.termWidth(); w > 0 {
			return w
		}
	}
	return defaultColumns
}

func valueOr(o *client.Object, key string, def any) any {
	if v, ok := o.Get(key); ok {
		return v
	}
	return def
}

// multiColumn renders entries as StackStorm's MultiColumnTable.
func (a *app) multiColumn(entries []*client.Object, attrs []string, widths []int, tf transforms) string {
	widths = a.columnWidths(entries, attrs, widths)
	if len(attrs) == 0 || contains(attrs, "all") {
		attrs = nil
		if len(entries) > 0 {
			attrs = sortedKeys(entries[0])
		}
	}
	var colWidths []int
	if len(attrs) == len(widths) {
		colWidths = widths
	} else {
		w := 28
		if len(widths) == 1 {
			w = widths[0]
		}
		for range attrs {
			colWidths = append(colWidths, w)
		}
	}
	t := newTable(attrs, colWidths)
	for _, e := range entries {
		var row []string
		for _, f := range attrs {
			var v any
			if strings.Contains(f, ".") {
				names := strings.Split(f, ".")
				v = valueOr(e, names[0], client.NewObject())
				for _, n := range names[1:] {
					if m, ok := v.(*client.Object); ok {
						nv, _ := m.Get(n)
						switch {
						case nv == nil, isEmptyCollection(nv):
							v = ""
						default:
							v = nv
						}
					} else {
						v = ""
					}
					if _, ok := v.(string); ok {
						break
					}
				}
			} else {
				v = valueOr(e, f, "")
				if l, ok := v.([]any); ok {
					if len(l) == 0 {
						v = ""
					} else if _, ok := l[0].(string); ok {
						parts := make([]string, len(l))
						for i, x := range l {
							parts[i] = pyfmt.Str(x)
						}
						v = strings.Join(parts, ", ")
					}
				}
				if fn := tf[f]; fn != nil {
					v = fn(v)
				}
			}
			row = append(row, pyfmt.Str(stripCR(unescape(v))))
		}
		t.addRow(row)
	}
	out := t.String()
	a.lastTableWidth = textWidth(strings.SplitN(out, "\n", 2)[0])
	return out
}

// propertyValue renders one resource as StackStorm's PropertyValueTable.
func (a *app) propertyValue(subject *client.Object, attrs, displayOrder []string, tf transforms) string {
	if displayOrder == nil {
		displayOrder = defaultDisplayOrder
	}
	if len(attrs) == 0 || contains(attrs, "all") {
		attrs = sortedKeys(subject)
	} else {
		attrs = append([]string(nil), attrs...)
	}
	for i := len(displayOrder) - 1; i >= 0; i-- {
		d := displayOrder[i]
		if j := indexOf(attrs, d); j >= 0 {
			attrs = append(attrs[:j:j], attrs[j+1:]...)
			attrs = append([]string{d}, attrs...)
		}
	}
	t := newTable([]string{"Property", "Value"}, []int{20, 60})
	for _, attr := range attrs {
		var v any
		if strings.Contains(attr, ".") {
			names := strings.Split(attr, ".")
			v = attrValue(subject, names[0])
			for _, n := range names[1:] {
				v = attrValue(v, n)
				if _, ok := v.(string); ok {
					break
				}
			}
		} else {
			v = attrValue(subject, attr)
		}
		if fn := tf[attr]; fn != nil {
			v = fn(v)
		}
		switch v.(type) {
		case *client.Object, []any:
			v = pyfmt.JSON(v, 4, false)
		}
		t.addRow([]string{attr, pyfmt.Str(stripCR(unescape(v)))})
	}
	return t.String()
}

func attrValue(subject any, attr string) any {
	m, ok := subject.(*client.Object)
	if !ok {
		return ""
	}
	v, _ := m.Get(attr)
	if v == nil || isEmptyCollection(v) {
		return ""
	}
	return v
}

var simpleKeyRE = regexp.MustCompile(`^([a-zA-Z0-9\-_]+\.)*([a-zA-Z0-9\-_]+)$`)

// getValue looks a dotted key up in a document (jsutil.get_value).
func getValue(doc *client.Object, key string) any {
	if !simpleKeyRE.MatchString(key) {
		// StackStorm falls back to a JSONPath expression here; a plain
		// lookup of the whole key covers the common cases.
		v, _ := doc.Get(key)
		return v
	}
	v, _ := doc.Path(key)
	return v
}

// kvps returns the subset of doc holding keys, nesting dotted keys
// (jsutil.get_kvps). Keys whose value is null are left out.
func kvps(doc *client.Object, keys []string) *client.Object {
	out := client.NewObject()
	for _, key := range keys {
		v := getValue(doc, key)
		if v == nil {
			continue
		}
		nested := out
		parts := strings.Split(key, ".")
		for _, p := range parts[:len(parts)-1] {
			child := nested.Object(p)
			if child == nil {
				child = client.NewObject()
				nested.Set(p, child)
			}
			nested = child
		}
		nested.Set(parts[len(parts)-1], v)
	}
	return out
}

func docsFor(subject any, attrs []string) any {
	pick := func(o *client.Object) *client.Object {
		keys := attrs
		if len(attrs) == 0 || contains(attrs, "all") {
			keys = o.Keys()
		}
		return kvps(o, keys)
	}
	switch t := subject.(type) {
	case *client.Object:
		return pick(t)
	case []*client.Object:
		out := make([]any, len(t))
		for i, o := range t {
			out[i] = pick(o)
		}
		return out
	}
	return subject
}

// jsonOutput is the -j rendering (json.dumps(indent=4, sort_keys=True)).
func jsonOutput(subject any, attrs []string) string {
	return pyfmt.JSON(docsFor(subject, attrs), 4, true)
}

// yamlOutput is the -y rendering (yaml.safe_dump(indent=4)); it ends with
// a newline, and print adds another, as in StackStorm.
func yamlOutput(subject any, attrs []string) string {
	return yamlDump(docsFor(subject, attrs), 4, 80)
}

// noteBox is the "Note: Only first N ... are displayed" box, as wide as
// the table printed before it.
func (a *app) noteBox(entity string, limit int) {
	if limit <= 0 {
		return
	}
	var msg string
	if limit == 1 {
		if entity == "inquiries" {
			entity = "inquiry"
		} else {
			entity = strings.TrimSuffix(entity, "s")
		}
		msg = "Note: Only one " + entity + " is displayed. Use -n/--last flag for more results."
	} else {
		msg = "Note: Only first " + strconv.Itoa(limit) + " " + entity + " are displayed. Use -n/--last flag for more results."
	}
	t := newTable([]string{""}, nil)
	t.header = false
	if a.lastTableWidth > textWidth(msg)+3 {
		t.rightPad = a.lastTableWidth - (textWidth(msg) + 3)
	}
	t.addRow([]string{msg})
	a.errf("%s\n", t.String())
}

// formatTime renders an ISO timestamp as "Wed, 01 May 2024 10:00:00 UTC" in
// the configured time zone; empty values stay empty.
func (a *app) formatTime(v any) any {
	s, ok := v.(string)
	if v == nil || (ok && s == "") {
		return ""
	}
	if !ok {
		return v
	}
	t, err := model.ParseTime(s)
	if err != nil {
		return v
	}
	return t.In(a.tz).Format("Mon, 02 Jan 2006 15:04:05 MST")
}

func parseTimestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok || s == "" {
		return time.Time{}, false
	}
	t, err := model.ParseTime(s)
	if err != nil {
		return time.Time{}, false
	}
	return t.Time, true
}

// withElapsed adds "(Ns elapsed)" to the status of running and finished
// executions (format_execution_status).
func (a *app) withElapsed(e *client.Object) *client.Object {
	status := e.String("status")
	start, okStart := parseTimestamp(valueOr(e, "start_timestamp", nil))
	end, okEnd := parseTimestamp(valueOr(e, "end_timestamp", nil))
	var secs int64
	switch {
	case status == string(model.StatusRunning) && okStart:
		secs = a.now().Unix() - start.Unix()
	case completedStatus(status) && okStart && okEnd:
		secs = end.Unix() - start.Unix()
	default:
		return e
	}
	c := client.Clone(e).(*client.Object)
	c.Set("status", status+" ("+strconv.FormatInt(secs, 10)+"s elapsed)")
	return c
}

func completedStatus(s string) bool { return model.Status(s).Completed() }

// ANSI colors as StackStorm's CLI uses them.
const (
	colorRed    = "\033[91m"
	colorGreen  = "\033[92m"
	colorYellow = "\033[93m"
	colorBlue   = "\033[94m"
	colorBrown  = "\033[33m"
	colorEnd    = "\033[0m"
)

func (a *app) colorize(s, color string) string {
	if !a.color || color == "" {
		return s
	}
	return color + s + colorEnd
}

// formatStatus colors the status word (format_status).
func (a *app) formatStatus(v any) any {
	s, ok := v.(string)
	if !ok || !a.color {
		return v
	}
	status, rest, has := strings.Cut(s, "(")
	status = strings.TrimSpace(status)
	color := map[string]string{"succeeded": colorGreen, "delayed": colorBlue, "failed": colorRed, "timeout": colorBrown, "running": colorYellow}[status]
	if color == "" {
		color = colorYellow
	}
	out := a.colorize(status, color)
	if has {
		out += " (" + rest
	}
	return out
}

// maskParameters hides password and private_key values (format_parameters).
func maskParameters(v any) any {
	o, ok := v.(*client.Object)
	if !ok {
		return v
	}
	c := client.Clone(o).(*client.Object)
	for _, k := range c.Keys() {
		if k == "password" || k == "private_key" {
			c.Set(k, "********")
		}
	}
	return c
}

// executionResult renders an execution as StackStorm's ExecutionResult
// formatter: one "attr: value" line per attribute, collections as YAML.
func (a *app) executionResult(entry *client.Object, attrs []string, key string, tf transforms) (string, error) {
	if key != "" {
		result, _ := entry.Get("result")
		doc, ok := result.(*client.Object)
		if !ok {
			return "", errf("doc is not an instance of dict: type=<class '%s'> value='%s'", pyfmt.TypeName(result), pyfmt.Str(result))
		}
		return pyfmt.Str(unescape(pyfmt.Str(getValue(doc, key)))), nil
	}
	var lines []string
	for _, attr := range attrs {
		v := getValue(entry, attr)
		v = stripCR(unescape(v))
		if fn := tf[attr]; fn != nil {
			v = fn(v)
		}
		if s, ok := v.(string); ok && len(s) > 0 && (s[0] == '{' || s[0] == '[') && (s[len(s)-1] == '}' || s[len(s)-1] == ']') {
			if lit, err := parsePyLiteral(s); err == nil {
				switch lit.(type) {
				case *client.Object, []any:
					v = lit
				}
			}
		}
		switch t := v.(type) {
		case *client.Object, []any:
			wrapper := client.NewObject()
			wrapper.Set(attr, t)
			dumped := yamlDump(wrapper, 2, 0)
			formatted := dumped[len(attr)+2 : len(dumped)-1]
			if _, isList := t.([]any); isList {
				ls := strings.Split(formatted, "\n")
				for i := range ls {
					ls[i] = "  " + ls[i]
				}
				formatted = strings.Join(ls, "\n")
			}
			v = strings.ReplaceAll("\n"+formatted, "\n\n", "\n")
		}
		lines = append(lines, a.colorize(attr, colorBlue)+": "+pyfmt.Str(v))
	}
	out := strings.Join(lines, "\n")
	return unescape(out).(string), nil
}

func contains(l []string, s string) bool { return indexOf(l, s) >= 0 }

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

func sortedStrings(l []string) []string {
	c := append([]string(nil), l...)
	sort.Strings(c)
	return c
}
