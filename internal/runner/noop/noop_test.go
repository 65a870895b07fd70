package noop

import (
	"testing"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
)

func TestRun(t *testing.T) {
	r, err := Definition.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(t.Context(), &runner.Request{ActionParams: map[string]any{"ignored": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != model.StatusSucceeded {
		t.Fatalf("status = %s", res.Status)
	}
	b, err := runner.MarshalOutput(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"failed":false,"succeeded":true,"return_code":0}`; got != want {
		t.Fatalf("result = %s, want %s", got, want)
	}
	if rt := Definition.RunnerType(); rt.Name != "noop" || rt.RunnerModule != "noop_runner" || len(rt.RunnerParameters) != 0 {
		t.Fatalf("runner type = %+v", rt)
	}
}

func BenchmarkRun(b *testing.B) {
	r, _ := Definition.New()
	req := &runner.Request{}
	for b.Loop() {
		if _, err := r.Run(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}
