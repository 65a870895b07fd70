package bus

import "testing"

func TestMatchTopic(t *testing.T) {
	cases := []struct {
		pattern, key string
		want         bool
	}{
		{"#", "anything.at.all", true},
		{"#", "", true},
		{"*", "update", true},
		{"*", "a.b", false},
		{"a.*", "a.b", true},
		{"a.#", "a", true},
		{"a.#.c", "a.b.b.c", true},
		{"requested", "scheduled", false},
		{"requested", "requested", true},
	}
	for _, c := range cases {
		if got := MatchTopic(c.pattern, c.key); got != c.want {
			t.Errorf("MatchTopic(%q, %q) = %v, want %v", c.pattern, c.key, got, c.want)
		}
	}
}
