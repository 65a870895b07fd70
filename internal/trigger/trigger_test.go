package trigger

import "testing"

func TestSystemTypes(t *testing.T) {
	types := SystemTypes()
	refs := map[string]bool{}
	for _, tt := range types {
		if refs[tt.Ref] {
			t.Errorf("duplicate %s", tt.Ref)
		}
		refs[tt.Ref] = true
		if tt.PayloadSchema == nil || tt.ParametersSchema == nil {
			t.Errorf("%s lacks a schema", tt.Ref)
		}
	}
	for _, want := range []string{Webhook, IntervalTimer, DateTimer, CronTimer, ActionTrigger, NotifyTrigger, InquiryTrigger,
		"core.st2.key_value_pair.value_change", "core.st2.sensor.process_exit"} {
		if !refs[want] {
			t.Errorf("missing %s", want)
		}
	}
	url := types[0]
	for _, tt := range types {
		if tt.Ref == Webhook {
			url = tt
		}
	}
	props := url.ParametersSchema["properties"].(map[string]any)
	if _, ok := props["url"]; !ok {
		t.Errorf("webhook parameters %v", url.ParametersSchema)
	}
}

func TestValidatePayload(t *testing.T) {
	schema := map[string]any{"type": "object", "properties": map[string]any{
		"count": map[string]any{"type": "integer", "required": true},
		"kind":  map[string]any{"type": "string", "enum": []any{"a", "b"}},
	}, "additionalProperties": false}
	cases := []struct {
		payload map[string]any
		ok      bool
	}{
		{map[string]any{"count": float64(3), "kind": "a"}, true},
		{map[string]any{"count": "3"}, false},
		{map[string]any{"kind": "a"}, false},
		{map[string]any{"count": 1, "kind": "c"}, false},
		{map[string]any{"count": 1, "other": true}, false},
	}
	for _, c := range cases {
		if err := ValidatePayload(schema, c.payload); (err == nil) != c.ok {
			t.Errorf("%v: %v", c.payload, err)
		}
	}
	if err := ValidatePayload(nil, map[string]any{"x": 1}); err != nil {
		t.Errorf("empty schema: %v", err)
	}
}
