package cli

import (
	"testing"

	"github.com/st2go/st2go/internal/client"
)

// yamlGolden holds what PyYAML 6.0 (Debian's python3-yaml, with libyaml)
// printed for awkward strings, generated once and hard-coded:
//
//	dump4: yaml.safe_dump({"stdout": s}, indent=4, default_flow_style=False)    (-y)
//	list4: yaml.safe_dump([s], indent=4, default_flow_style=False)
//	dump2: yaml.dump({"result": {"stdout": s}}, default_flow_style=False,
//	       width=2**31-1, indent=2, Dumper=yaml.CSafeDumper)                   (execution view)
//	view:  the "result: ..." line st2client's ExecutionResult formatter builds
//	       from dump2: the key stripped, "\n\n" folded to "\n", then
//	       strutil.unescape (\\n -> newline, \\r -> CR, \\" -> ") over the whole text.
//
// The pure-Python SafeDumper gives the same bytes as CSafeDumper for every
// case here (checked when generating).
var yamlGolden = []struct{ name, in, dump4, list4, dump2, view string }{
	{"non-ASCII single line", "h\u00e9llo w\u00f6rld", "stdout: \"h\\xE9llo w\\xF6rld\"\n", "- \"h\\xE9llo w\\xF6rld\"\n", "result:\n  stdout: \"h\\xE9llo w\\xF6rld\"\n", "result: \n  stdout: \"h\\xE9llo w\\xF6rld\""},
	{"non-ASCII multi-line", "h\u00e9llo w\u00f6rld\n\u65e5\u672c\u8a9e", "stdout: \"h\\xE9llo w\\xF6rld\\n\\u65E5\\u672C\\u8A9E\"\n", "- \"h\\xE9llo w\\xF6rld\\n\\u65E5\\u672C\\u8A9E\"\n", "result:\n  stdout: \"h\\xE9llo w\\xF6rld\\n\\u65E5\\u672C\\u8A9E\"\n", "result: \n  stdout: \"h\\xE9llo w\\xF6rld\n\\u65E5\\u672C\\u8A9E\""},
	{"ASCII multi-line", "line one\nline two\n", "stdout: 'line one\n\n    line two\n\n    '\n", "- 'line one\n\n    line two\n\n    '\n", "result:\n  stdout: 'line one\n\n    line two\n\n    '\n", "result: \n  stdout: 'line one\n    line two\n    '"},
	{"blank line inside", "a\n\nb", "stdout: 'a\n\n\n    b'\n", "- 'a\n\n\n    b'\n", "result:\n  stdout: 'a\n\n\n    b'\n", "result: \n  stdout: 'a\n\n    b'"},
	{"trailing spaces", "trailing spaces   ", "stdout: 'trailing spaces   '\n", "- 'trailing spaces   '\n", "result:\n  stdout: 'trailing spaces   '\n", "result: \n  stdout: 'trailing spaces   '"},
	{"leading spaces", "   leading spaces", "stdout: '   leading spaces'\n", "- '   leading spaces'\n", "result:\n  stdout: '   leading spaces'\n", "result: \n  stdout: '   leading spaces'"},
	{"space before newline", "end with space \nnext", "stdout: \"end with space \\nnext\"\n", "- \"end with space \\nnext\"\n", "result:\n  stdout: \"end with space \\nnext\"\n", "result: \n  stdout: \"end with space \nnext\""},
	{"space after newline", "first\n  indented", "stdout: \"first\\n  indented\"\n", "- \"first\\n  indented\"\n", "result:\n  stdout: \"first\\n  indented\"\n", "result: \n  stdout: \"first\n  indented\""},
	{"tab inside", "col1\tcol2", "stdout: \"col1\\tcol2\"\n", "- \"col1\\tcol2\"\n", "result:\n  stdout: \"col1\\tcol2\"\n", "result: \n  stdout: \"col1\\tcol2\""},
	{"tab first", "\tindented", "stdout: \"\\tindented\"\n", "- \"\\tindented\"\n", "result:\n  stdout: \"\\tindented\"\n", "result: \n  stdout: \"\\tindented\""},
	{"integer", "123", "stdout: '123'\n", "- '123'\n", "result:\n  stdout: '123'\n", "result: \n  stdout: '123'"},
	{"negative integer", "-2", "stdout: '-2'\n", "- '-2'\n", "result:\n  stdout: '-2'\n", "result: \n  stdout: '-2'"},
	{"float", "1.5", "stdout: '1.5'\n", "- '1.5'\n", "result:\n  stdout: '1.5'\n", "result: \n  stdout: '1.5'"},
	{"exponent", "1e3", "stdout: 1e3\n", "- 1e3\n", "result:\n  stdout: 1e3\n", "result: \n  stdout: 1e3"},
	{"float exponent", "1.0e+3", "stdout: '1.0e+3'\n", "- '1.0e+3'\n", "result:\n  stdout: '1.0e+3'\n", "result: \n  stdout: '1.0e+3'"},
	{"hex", "0x1F", "stdout: '0x1F'\n", "- '0x1F'\n", "result:\n  stdout: '0x1F'\n", "result: \n  stdout: '0x1F'"},
	{"octal", "010", "stdout: '010'\n", "- '010'\n", "result:\n  stdout: '010'\n", "result: \n  stdout: '010'"},
	{"sexagesimal", "12:30:00", "stdout: '12:30:00'\n", "- '12:30:00'\n", "result:\n  stdout: '12:30:00'\n", "result: \n  stdout: '12:30:00'"},
	{"underscored", "1_000", "stdout: '1_000'\n", "- '1_000'\n", "result:\n  stdout: '1_000'\n", "result: \n  stdout: '1_000'"},
	{"dot float", ".5", "stdout: '.5'\n", "- '.5'\n", "result:\n  stdout: '.5'\n", "result: \n  stdout: '.5'"},
	{"infinity", ".inf", "stdout: '.inf'\n", "- '.inf'\n", "result:\n  stdout: '.inf'\n", "result: \n  stdout: '.inf'"},
	{"true", "true", "stdout: 'true'\n", "- 'true'\n", "result:\n  stdout: 'true'\n", "result: \n  stdout: 'true'"},
	{"True", "True", "stdout: 'True'\n", "- 'True'\n", "result:\n  stdout: 'True'\n", "result: \n  stdout: 'True'"},
	{"yes", "yes", "stdout: 'yes'\n", "- 'yes'\n", "result:\n  stdout: 'yes'\n", "result: \n  stdout: 'yes'"},
	{"no", "no", "stdout: 'no'\n", "- 'no'\n", "result:\n  stdout: 'no'\n", "result: \n  stdout: 'no'"},
	{"on", "on", "stdout: 'on'\n", "- 'on'\n", "result:\n  stdout: 'on'\n", "result: \n  stdout: 'on'"},
	{"off", "Off", "stdout: 'Off'\n", "- 'Off'\n", "result:\n  stdout: 'Off'\n", "result: \n  stdout: 'Off'"},
	{"y", "y", "stdout: y\n", "- y\n", "result:\n  stdout: y\n", "result: \n  stdout: y"},
	{"null", "null", "stdout: 'null'\n", "- 'null'\n", "result:\n  stdout: 'null'\n", "result: \n  stdout: 'null'"},
	{"tilde", "~", "stdout: '~'\n", "- '~'\n", "result:\n  stdout: '~'\n", "result: \n  stdout: '~'"},
	{"date", "2024-05-01", "stdout: '2024-05-01'\n", "- '2024-05-01'\n", "result:\n  stdout: '2024-05-01'\n", "result: \n  stdout: '2024-05-01'"},
	{"empty", "", "stdout: ''\n", "- ''\n", "result:\n  stdout: ''\n", "result: \n  stdout: ''"},
	{"single space", " ", "stdout: ' '\n", "- ' '\n", "result:\n  stdout: ' '\n", "result: \n  stdout: ' '"},
	{"long line", "word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39 word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39", "stdout: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39 word0 word1 word2 word3 word4 word5 word6 word7 word8\n    word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20\n    word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32\n    word33 word34 word35 word36 word37 word38 word39\n", "- word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n    word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n    word37 word38 word39 word0 word1 word2 word3 word4 word5 word6 word7 word8 word9\n    word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21\n    word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33\n    word34 word35 word36 word37 word38 word39\n", "result:\n  stdout: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39 word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39\n", "result: \n  stdout: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39 word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39"},
	{"long word", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "stdout: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "result:\n  stdout: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "result: \n  stdout: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
	{"long non-ASCII line", "\u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9 ", "stdout: \"\\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9\\\n    t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9\\\n    t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9\\\n    t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \"\n", "- \"\\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9\\\n    \\ \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9\\\n    \\ \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9\\\n    \\ \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \"\n", "result:\n  stdout: \"\\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \"\n", "result: \n  stdout: \"\\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \\xE9t\\xE9 \""},
	{"long line with newline", "word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39\nword0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39", "stdout: 'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39\n\n    word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n    word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n    word37 word38 word39'\n", "- 'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n    word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n    word37 word38 word39\n\n    word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n    word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n    word37 word38 word39'\n", "result:\n  stdout: 'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39\n\n    word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39'\n", "result: \n  stdout: 'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39\n    word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39'"},
	{"colon space", "key: value", "stdout: 'key: value'\n", "- 'key: value'\n", "result:\n  stdout: 'key: value'\n", "result: \n  stdout: 'key: value'"},
	{"hash", "# not a comment", "stdout: '# not a comment'\n", "- '# not a comment'\n", "result:\n  stdout: '# not a comment'\n", "result: \n  stdout: '# not a comment'"},
	{"space hash", "a #b", "stdout: 'a #b'\n", "- 'a #b'\n", "result:\n  stdout: 'a #b'\n", "result: \n  stdout: 'a #b'"},
	{"dash", "- item", "stdout: '- item'\n", "- '- item'\n", "result:\n  stdout: '- item'\n", "result: \n  stdout: '- item'"},
	{"dash word", "-word", "stdout: -word\n", "- -word\n", "result:\n  stdout: -word\n", "result: \n  stdout: -word"},
	{"question", "? q", "stdout: '? q'\n", "- '? q'\n", "result:\n  stdout: '? q'\n", "result: \n  stdout: '? q'"},
	{"at", "@handle", "stdout: '@handle'\n", "- '@handle'\n", "result:\n  stdout: '@handle'\n", "result: \n  stdout: '@handle'"},
	{"backtick", "`cmd`", "stdout: '`cmd`'\n", "- '`cmd`'\n", "result:\n  stdout: '`cmd`'\n", "result: \n  stdout: '`cmd`'"},
	{"single quote", "it's", "stdout: it's\n", "- it's\n", "result:\n  stdout: it's\n", "result: \n  stdout: it's"},
	{"double quote", "say \"hi\"", "stdout: say \"hi\"\n", "- say \"hi\"\n", "result:\n  stdout: say \"hi\"\n", "result: \n  stdout: say \"hi\""},
	{"leading quote", "'quoted'", "stdout: '''quoted'''\n", "- '''quoted'''\n", "result:\n  stdout: '''quoted'''\n", "result: \n  stdout: '''quoted'''"},
	{"backslash", "C:\\Users\\x", "stdout: C:\\Users\\x\n", "- C:\\Users\\x\n", "result:\n  stdout: C:\\Users\\x\n", "result: \n  stdout: C:\\Users\\x"},
	{"literal backslash n", "a\\nb", "stdout: a\\nb\n", "- a\\nb\n", "result:\n  stdout: a\\nb\n", "result: \n  stdout: a\nb"},
	{"braces", "{braces}", "stdout: '{braces}'\n", "- '{braces}'\n", "result:\n  stdout: '{braces}'\n", "result: \n  stdout: '{braces}'"},
	{"brackets", "[1, 2]", "stdout: '[1, 2]'\n", "- '[1, 2]'\n", "result:\n  stdout: '[1, 2]'\n", "result: \n  stdout: '[1, 2]'"},
	{"comma", "a, b", "stdout: a, b\n", "- a, b\n", "result:\n  stdout: a, b\n", "result: \n  stdout: a, b"},
	{"percent", "%TEMP%", "stdout: '%TEMP%'\n", "- '%TEMP%'\n", "result:\n  stdout: '%TEMP%'\n", "result: \n  stdout: '%TEMP%'"},
	{"pipe", "| pipe", "stdout: '| pipe'\n", "- '| pipe'\n", "result:\n  stdout: '| pipe'\n", "result: \n  stdout: '| pipe'"},
	{"gt", "> gt", "stdout: '> gt'\n", "- '> gt'\n", "result:\n  stdout: '> gt'\n", "result: \n  stdout: '> gt'"},
	{"bang", "!tag", "stdout: '!tag'\n", "- '!tag'\n", "result:\n  stdout: '!tag'\n", "result: \n  stdout: '!tag'"},
	{"ampersand", "&anchor", "stdout: '&anchor'\n", "- '&anchor'\n", "result:\n  stdout: '&anchor'\n", "result: \n  stdout: '&anchor'"},
	{"star", "*alias", "stdout: '*alias'\n", "- '*alias'\n", "result:\n  stdout: '*alias'\n", "result: \n  stdout: '*alias'"},
	{"document start", "---", "stdout: '---'\n", "- '---'\n", "result:\n  stdout: '---'\n", "result: \n  stdout: '---'"},
	{"document end", "...", "stdout: '...'\n", "- '...'\n", "result:\n  stdout: '...'\n", "result: \n  stdout: '...'"},
	{"ANSI colors", "\u001b[31mred\u001b[0m", "stdout: \"\\e[31mred\\e[0m\"\n", "- \"\\e[31mred\\e[0m\"\n", "result:\n  stdout: \"\\e[31mred\\e[0m\"\n", "result: \n  stdout: \"\\e[31mred\\e[0m\""},
	{"NUL", "a\u0000b", "stdout: \"a\\0b\"\n", "- \"a\\0b\"\n", "result:\n  stdout: \"a\\0b\"\n", "result: \n  stdout: \"a\\0b\""},
	{"CRLF", "one\u000d\ntwo", "stdout: \"one\\r\\ntwo\"\n", "- \"one\\r\\ntwo\"\n", "result:\n  stdout: \"one\\r\\ntwo\"\n", "result: \n  stdout: \"one\u000d\ntwo\""},
	{"DEL", "x\u007fy", "stdout: \"x\\x7Fy\"\n", "- \"x\\x7Fy\"\n", "result:\n  stdout: \"x\\x7Fy\"\n", "result: \n  stdout: \"x\\x7Fy\""},
	{"NEL", "a\u0085b", "stdout: \"a\\Nb\"\n", "- \"a\\Nb\"\n", "result:\n  stdout: \"a\\Nb\"\n", "result: \n  stdout: \"a\\Nb\""},
	{"NBSP", "a\u00a0b", "stdout: \"a\\_b\"\n", "- \"a\\_b\"\n", "result:\n  stdout: \"a\\_b\"\n", "result: \n  stdout: \"a\\_b\""},
	{"line separator", "a\u2028b", "stdout: \"a\\Lb\"\n", "- \"a\\Lb\"\n", "result:\n  stdout: \"a\\Lb\"\n", "result: \n  stdout: \"a\\Lb\""},
	{"BOM", "\ufeffbom", "stdout: \"\\uFEFFbom\"\n", "- \"\\uFEFFbom\"\n", "result:\n  stdout: \"\\uFEFFbom\"\n", "result: \n  stdout: \"\\uFEFFbom\""},
	{"emoji", "ok \U0001f600", "stdout: \"ok \\U0001F600\"\n", "- \"ok \\U0001F600\"\n", "result:\n  stdout: \"ok \\U0001F600\"\n", "result: \n  stdout: \"ok \\U0001F600\""},
	{"trailing newline", "done\n", "stdout: 'done\n\n    '\n", "- 'done\n\n    '\n", "result:\n  stdout: 'done\n\n    '\n", "result: \n  stdout: 'done\n    '"},
	{"only newline", "\n", "stdout: '\n\n    '\n", "- '\n\n    '\n", "result:\n  stdout: '\n\n    '\n", "result: \n  stdout: '\n    '"},
}

func TestYAMLGolden(t *testing.T) {
	a := newApp(nil, nil, nil, nil)
	for _, c := range yamlGolden {
		t.Run(c.name, func(t *testing.T) {
			inner := client.NewObject()
			inner.Set("stdout", c.in)
			wrapped := client.NewObject()
			wrapped.Set("result", inner)
			entry := client.NewObject()
			entry.Set("result", client.Clone(inner))
			view, err := a.executionResult(entry, []string{"result"}, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range []struct{ what, got, want string }{
				{"dump4", yamlDump(inner, 4, 80), c.dump4},
				{"list4", yamlDump([]any{c.in}, 4, 80), c.list4},
				{"dump2", yamlDump(wrapped, 2, 0), c.dump2},
				{"view", view, c.view},
			} {
				if ch.got != ch.want {
					t.Errorf("%s:\n got %q\nwant %q", ch.what, ch.got, ch.want)
				}
			}
		})
	}
}
