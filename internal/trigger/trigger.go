// Package trigger holds StackStorm's trigger vocabulary: the system
// trigger types every installation has (webhooks, timers, action and
// notify triggers, datastore and sensor events), the refs rules use for
// them, and the shape of a dispatch message on the bus. Subpackage timer
// computes when timers fire.
//
// It imports model and store.
package trigger

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/st2go/st2go/internal/model"
)

// Refs of the system trigger types.
const (
	Webhook        = "core.st2.webhook"
	IntervalTimer  = "core.st2.IntervalTimer"
	DateTimer      = "core.st2.DateTimer"
	CronTimer      = "core.st2.CronTimer"
	ActionTrigger  = "core.st2.generic.actiontrigger"
	NotifyTrigger  = "core.st2.generic.notifytrigger"
	InquiryTrigger = "core.st2.generic.inquiry"
)

// Dispatch is a trigger instance on its way to the rules engine (the body
// of a message on st2.trigger_instances_dispatch). Trigger is a trigger
// ref or, for parameterised triggers, {"type": ..., "parameters": ...}.
type Dispatch struct {
	Trigger      any            `json:"trigger"`
	Payload      map[string]any `json:"payload"`
	TraceContext any            `json:"trace_context"`
}

// object and friends keep the catalog below readable.
const (
	anyObject = `{"type": "object", "properties": {"object": {}}}`
	scheduled = `{"type": "object", "properties": {"executed_at": {"type": "string", "format": "date-time", "default": "2014-07-30 05:04:24.578325"}, "schedule": {"type": "object", "default": {"delta": 30, "units": "seconds"}}}}`
	cronField = `{"anyOf": [{"type": "string"}, {"type": "integer"}]`
)

// systemTypes lists the system trigger types: name, description, the
// parameters schema and the payload schema (JSON), as StackStorm declares
// them (st2common/constants/triggers.py).
var systemTypes = []struct{ name, description, params, payload string }{
	{"st2.webhook", "Trigger type for registering webhooks that can consume arbitrary payload.",
		`{"type": "object", "properties": {"url": {"type": "string", "required": true}}, "additionalProperties": false}`,
		`{"type": "object", "properties": {"headers": {"type": "object"}, "body": {"anyOf": [{"type": "array"}, {"type": "object"}]}}}`},
	{"st2.IntervalTimer", "Triggers on specified intervals. e.g. every 30s, 1week etc.",
		`{"type": "object", "properties": {"timezone": {"type": "string"}, "unit": {"enum": ["weeks", "days", "hours", "minutes", "seconds"], "required": true}, "delta": {"type": "integer", "required": true}}, "additionalProperties": false}`,
		scheduled},
	{"st2.DateTimer", "Triggers exactly once when the current time matches the specified time. e.g. timezone:UTC date:2014-12-31 23:59:59.",
		`{"type": "object", "properties": {"timezone": {"type": "string"}, "date": {"type": "string", "format": "date-time", "required": true}}, "additionalProperties": false}`,
		scheduled},
	{"st2.CronTimer", "Triggers whenever current time matches the specified time constaints like a UNIX cron scheduler.",
		`{"type": "object", "properties": {"timezone": {"type": "string"}, "year": ` + cronField + `}, "month": ` + cronField + `, "minimum": 1, "maximum": 12}, "day": ` + cronField + `, "minimum": 1, "maximum": 31}, "week": ` + cronField + `, "minimum": 1, "maximum": 53}, "day_of_week": ` + cronField + `, "minimum": 0, "maximum": 6}, "hour": ` + cronField + `, "minimum": 0, "maximum": 23}, "minute": ` + cronField + `, "minimum": 0, "maximum": 59}, "second": ` + cronField + `, "minimum": 0, "maximum": 59}}, "additionalProperties": false}`,
		scheduled},
	{"st2.generic.actiontrigger", "Trigger encapsulating the completion of an action execution.", `{}`,
		`{"type": "object", "properties": {"execution_id": {}, "status": {}, "start_timestamp": {}, "action_name": {}, "action_ref": {}, "runner_ref": {}, "parameters": {}, "result": {}}}`},
	{"st2.generic.notifytrigger", "Notification trigger.", `{}`,
		`{"type": "object", "properties": {"execution_id": {}, "status": {}, "start_timestamp": {}, "end_timestamp": {}, "action_ref": {}, "runner_ref": {}, "channel": {}, "route": {}, "message": {}, "data": {}}}`},
	{"st2.action.file_written", "Trigger encapsulating action file being written on disk.", `{}`,
		`{"type": "object", "properties": {"ref": {}, "file_path": {}, "host_info": {}}}`},
	{"st2.generic.inquiry", `Trigger indicating a new "inquiry" has entered "pending" status`, `{}`,
		`{"type": "object", "properties": {"id": {"type": "string", "description": "ID of the new inquiry.", "required": true}, "route": {"type": "string", "description": "An arbitrary value for allowing rules to route to proper notification channel.", "required": true}}, "additionalProperties": false}`},
	{"st2.sensor.process_spawn", "Trigger indicating sensor process is started up.", `{}`, anyObject},
	{"st2.sensor.process_exit", "Trigger indicating sensor process is stopped.", `{}`, anyObject},
	{"st2.key_value_pair.create", "Trigger encapsulating datastore item creation.", `{}`, anyObject},
	{"st2.key_value_pair.update", "Trigger encapsulating datastore set action.", `{}`, anyObject},
	{"st2.key_value_pair.value_change", "Trigger encapsulating a change of datastore item value.", `{}`,
		`{"type": "object", "properties": {"old_object": {}, "new_object": {}}}`},
	{"st2.key_value_pair.delete", "Trigger encapsulating datastore item deletion.", `{}`, anyObject},
}

// SystemTypes returns the system trigger types, sorted by ref.
func SystemTypes() []*model.TriggerType {
	out := make([]*model.TriggerType, 0, len(systemTypes))
	for _, t := range systemTypes {
		var params, payload map[string]any
		if err := json.Unmarshal([]byte(t.params), &params); err != nil {
			panic(fmt.Sprintf("trigger: parameters schema of %s: %v", t.name, err))
		}
		if err := json.Unmarshal([]byte(t.payload), &payload); err != nil {
			panic(fmt.Sprintf("trigger: payload schema of %s: %v", t.name, err))
		}
		ref := "core." + t.name
		out = append(out, &model.TriggerType{
			ID: stableID("trigger_type:core:" + t.name), UID: "trigger_type:core:" + t.name, Ref: ref, Name: t.name, Pack: "core",
			Description: t.description, ParametersSchema: params, PayloadSchema: payload, Tags: []model.Tag{},
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out
}

// stableID derives a 24-hex id from a uid, so system types keep their ids.
func stableID(uid string) string {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(uid); i++ {
		h ^= uint64(uid[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("5f0000000000%012x", h&0xffffffffffff)
}
