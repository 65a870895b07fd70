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
