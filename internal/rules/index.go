package rules

import (
	"fmt"
	"sync"

	"github.com/st2go/st2go/internal/expr"
)

// Index holds the enabled rules by the trigger they listen to, so that a
// trigger instance is matched against the rules of its trigger only. It
// is safe for concurrent use; rules put in it must not be modified
// afterwards (put a new *Rule instead).
type Index struct {
	mu      sync.RWMutex
	byKey   map[string][]*Rule // trigger key → rules, in the order put
	keyOf   map[string]string  // rule ref → its trigger key
	nrules  int
	ordinal map[string]int // rule ref → order of first Put, to keep places on update
	next    int
}

// NewIndex returns an index of the given rules (disabled ones are left
// out).
func NewIndex(rules ...*Rule) (*Index, error) {
	ix := &Index{byKey: map[string][]*Rule{}, keyOf: map[string]string{}, ordinal: map[string]int{}}
	for _, r := range rules {
		if err := ix.Put(r); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// Put adds a rule or replaces the rule with the same ref. A disabled rule
// is removed instead, as StackStorm only matches enabled rules. A
// replaced rule keeps its place among the rules of its trigger.
func (ix *Index) Put(r *Rule) error {
	key, err := r.TriggerKey()
	if err != nil {
		return fmt.Errorf("indexing rule %q: %w", r.Ref, err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(r.Ref)
	if !r.Enabled {
		delete(ix.ordinal, r.Ref)
		return nil
	}
	ord, seen := ix.ordinal[r.Ref]
	if !seen {
		ord = ix.next
		ix.next++
		ix.ordinal[r.Ref] = ord
	}
	rules := ix.byKey[key]
	at := len(rules)
	for i, o := range rules {
		if ix.ordinal[o.Ref] > ord {
			at = i
			break
		}
	}
	rules = append(rules, nil)
	copy(rules[at+1:], rules[at:])
	rules[at] = r
	ix.byKey[key] = rules
	ix.keyOf[r.Ref] = key
	ix.nrules++
	return nil
}

// Delete removes the rule with the given ref; it reports whether there
// was one.
func (ix *Index) Delete(ref string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.ordinal, ref)
	return ix.remove(ref)
}

func (ix *Index) remove(ref string) bool {
	key, ok := ix.keyOf[ref]
	if !ok {
		return false
	}
	rules := ix.byKey[key]
	for i, r := range rules {
		if r.Ref == ref {
			// Copy so that slices handed out by Rules stay intact.
			rest := make([]*Rule, 0, len(rules)-1)
			rest = append(append(rest, rules[:i]...), rules[i+1:]...)
			if len(rest) == 0 {
				delete(ix.byKey, key)
			} else {
				ix.byKey[key] = rest
			}
			break
		}
	}
	delete(ix.keyOf, ref)
	ix.nrules--
	return true
}

// Len is the number of rules in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.nrules
}

// Rules returns the rules of a trigger, in the order they were put. The
// slice must not be modified.
func (ix *Index) Rules(triggerType string, params map[string]any) ([]*Rule, error) {
	key, err := TriggerKey(triggerType, params)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.byKey[key], nil
}

// Evaluation is the outcome of one rule for one trigger instance.
type Evaluation struct {
	Rule   *Rule
	Result Result
	// Skipped is set for a backstop rule that was not evaluated because
	// a standard rule matched.
	Skipped bool
}

// Match matches a trigger instance of the given trigger (type and
// parameters) against its rules, as StackStorm's RulesMatcher does:
// first every standard rule, then, only if none of them matched, the
// backstop rules. It returns an Evaluation for every rule of the
// trigger, standard rules first, so the caller can log misses and write
// failed enforcements for Result.Errors; Matched picks the rules to
// enforce.
func (ix *Index) Match(triggerType string, params map[string]any, payload any, ev *Evaluator) ([]Evaluation, error) {
	rules, err := ix.Rules(triggerType, params)
	if err != nil {
		return nil, err
	}
	return MatchRules(rules, payload, ev), nil
}

// MatchRules is Index.Match over a given list of rules (a nil Evaluator
// is the zero one).
func MatchRules(rules []*Rule, payload any, ev *Evaluator) []Evaluation {
	if ev == nil {
		ev = &Evaluator{}
	}
	payload = normalize(payload)
	root := expr.DictOf("trigger", payload)
	out := make([]Evaluation, 0, len(rules))
	standardMatched := false
	for _, r := range rules {
		if r.IsBackstop() {
			continue
		}
		res := ev.matchRule(r, payload, root)
		standardMatched = standardMatched || res.Matched
		out = append(out, Evaluation{Rule: r, Result: res})
	}
	for _, r := range rules {
		if !r.IsBackstop() {
			continue
		}
		if standardMatched {
			out = append(out, Evaluation{Rule: r, Skipped: true,
				Result: Result{Miss: &Miss{Why: "a standard rule matched"}}})
			continue
		}
		out = append(out, Evaluation{Rule: r, Result: ev.matchRule(r, payload, root)})
	}
	return out
}

// Matched returns the rules that matched, in enforcement order.
func Matched(evs []Evaluation) []*Rule {
	var out []*Rule
	for _, e := range evs {
		if e.Result.Matched {
			out = append(out, e.Rule)
		}
	}
	return out
}
