package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// The event side of StackStorm's CLI: st2 trigger, trigger-instance,
// rule-enforcement, webhook, sensor and timer (st2client/commands/
// trigger.py, triggerinstance.py, rule_enforcement.py, webhook.py,
// sensor.py, timer.py).

var (
	triggerListAttrs            = []string{"ref", "pack", "description"}
	triggerDisplayOrder         = []string{"id", "ref", "pack", "name", "description", "parameters_schema", "payload_schema"}
	triggerInstanceListAttrs    = []string{"id", "trigger", "occurrence_time", "status"}
	triggerInstanceDisplayOrder = []string{"id", "trigger", "occurrence_time", "payload"}
	ruleEnforcementListAttrs    = []string{"id", "rule.ref", "trigger_instance_id", "execution_id", "enforced_at"}
	ruleEnforcementGetAttrs     = []string{"id", "rule.ref", "trigger_instance_id", "execution_id", "failure_reason", "enforced_at"}
	webhookListAttrs            = []string{"url", "type", "description"}
	webhookDisplayOrder         = []string{"type", "description"}
	sensorListAttrs             = []string{"ref", "pack", "description", "enabled"}
	sensorDisplayOrder          = []string{"id", "uid", "ref", "pack", "name", "enabled", "entry_point", "artifact_uri", "trigger_types"}
	timerListAttrs              = []string{"id", "uid", "pack", "name", "type", "parameters"}
	timerDisplayOrder           = []string{"type", "pack", "name", "description", "parameters"}
)

const (
	triggerInstanceListHelp = "Get the list of the 50 most recent triggerinstances."
	ruleEnforcementListHelp = "Get the list of the 50 most recent rule enforcements."
)

func triggerCommands() []*command {
	r := triggerTypeResource
	return []*command{
		{name: "list", help: "Get the list of triggers.", spec: contentPackListSpec("Get the list of triggers."), run: contentPackList("/triggertypes", triggerListAttrs)},
		{name: "get", help: "Get individual trigger.", spec: r.getSpec(), run: r.get([]string{"all"}, triggerDisplayOrder)},
		{name: "create", help: "Create a new trigger.", spec: r.createSpec, run: r.create},
		{name: "update", help: "Updating an existing trigger.", spec: r.updateSpec, run: r.update},
		{name: "delete", help: "Delete an existing trigger.", spec: r.pkSpec("Delete"), run: r.delete},
		{name: "clone", help: "Clone a new trigger.", spec: cloneSpec("trigger"), run: cloneNotImplemented("trigger")},
		{name: "getspecs", help: "Return Trigger Specifications of a Trigger.", spec: getspecsSpec, run: triggerGetspecs},
	}
}

func triggerInstanceCommands() []*command {
	return []*command{
		{name: "list", help: triggerInstanceListHelp, spec: triggerInstanceListSpec, run: triggerInstanceList},
		{name: "get", help: "Get individual trigger instance.", spec: triggerInstanceResource.getSpec(), run: triggerInstanceResource.get([]string{"all"}, triggerInstanceDisplayOrder)},
		{name: "re-emit", help: "Re-emit a particular trigger instance.", spec: reEmitSpec, run: triggerInstanceReEmit},
	}
}

func ruleEnforcementCommands() []*command {
	r := ruleEnforcementResource
	return []*command{
		{name: "list", help: ruleEnforcementListHelp, spec: ruleEnforcementListSpec, run: ruleEnforcementList},
		{name: "get", help: "Get individual rule enforcement.", spec: r.withPK("id").getSpec(), run: r.withPK("id").get(ruleEnforcementGetAttrs, ruleEnforcementGetAttrs)},
		{name: "create", help: "Create a new rule enforcement.", spec: r.createSpec, run: r.create},
		{name: "update", help: "Updating an existing rule enforcement.", spec: r.updateSpec, run: r.update},
		{name: "delete", help: "Delete an existing rule enforcement.", spec: r.pkSpec("Delete"), run: r.delete},
		{name: "clone", help: "Clone a new rule enforcement.", spec: cloneSpec("rule enforcement"), run: cloneNotImplemented("rule-enforcement")},
	}
}

func webhookCommands() []*command {
	return []*command{
		{name: "list", help: "Get the list of webhooks.", spec: contentPackListSpec("Get the list of webhooks."), run: webhookList},
		{name: "get", help: "Get individual webhook.", spec: webhookResource.getSpec(), run: webhookResource.get([]string{"all"}, webhookDisplayOrder)},
	}
}

func sensorCommands() []*command {
	r := sensorResource
	return []*command{
		{name: "list", help: "Get the list of sensortypes.", spec: contentPackListSpec("Get the list of sensortypes."), run: contentPackList("/sensortypes", sensorListAttrs)},
		{name: "get", help: "Get individual sensor.", spec: r.getSpec(), run: r.get([]string{"all"}, sensorDisplayOrder)},
		{name: "enable", help: "Enable an existing sensor.", spec: r.pkSpec("Enable"), run: r.enable(true)},
		{name: "disable", help: "Disable an existing sensor.", spec: r.pkSpec("Disable"), run: r.enable(false)},
	}
}

func timerCommands() []*command {
	return []*command{
		{name: "list", help: "Get the list of timers.", spec: timerListSpec, run: timerList},
		{name: "get", help: "Get individual timer.", spec: timerResource.getSpec(), run: timerResource.get([]string{"all"}, timerDisplayOrder)},
	}
}

// contentPackListSpec is ContentPackResourceListCommand's arguments.
func contentPackListSpec(description string) func() *spec {
	return func() *spec {
		return &spec{description: description, opts: resourceOpts(append(listOpts(),
			option{names: []string{"-p", "--pack"}, dest: "pack", kind: optString, help: packFilterOptHelp})...)}
	}
}

// contentPackGetAll is ContentPackResourceListCommand.run: GET
// <collection>?include_attributes=...[&pack=P].
func (a *app) contentPackGetAll(ctx context.Context, args *args, path string, def []string) ([]*client.Object, error) {
	var q client.Query
	if inc := includeAttributes(args, def, nil); len(inc) > 0 {
		q.Add("include_attributes", strings.Join(inc, ","))
	}
	if p := args.str("pack"); p != "" {
		q.Add("pack", p)
	}
	items, _, err := a.getList(ctx, path, q)
	return items, err
}

func contentPackList(path string, def []string) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		items, err := a.contentPackGetAll(ctx, args, path, def)
		if err != nil {
			return err
		}
		at := attrs(args, def)
		return a.printResult(args, items, at, func() (string, error) {
			return a.multiColumn(items, at, args.ints("width"), nil), nil
		})
	}
}

// Triggers.

func getspecsSpec() *spec {
	return &spec{description: "Return Trigger Specifications of a Trigger.", noHelp: true, opts: resourceOpts(
		option{names: []string{"-h", "--help"}, dest: "help", kind: optBool, help: "Print usage for the given action."}),
		pos: []positional{{name: "ref", nargs: '?', help: "Fully qualified name (pack.trigger_name) of the trigger."}}}
}

// triggerGetspecs is TriggerTypeSubTriggerCommand: the triggers (trigger
// type plus parameters) of a type, GET /triggers/?type=REF, every
// attribute in columns.
func triggerGetspecs(ctx context.Context, a *app, args *args) error {
	if args.boolean("help") {
		sp := getspecsSpec()
		sp.prog = "st2 trigger getspecs"
		a.outf("%s", sp.help())
		return nil
	}
	ref := args.str("ref")
	if !args.isSet("ref") {
		ref = "None" // Python's str(None) in the query string
	}
	items, _, err := a.query(ctx, "/triggers/", client.Query{{Key: "type", Value: ref}})
	if err != nil {
		return err
	}
	return a.printResult(args, items, nil, func() (string, error) {
		return a.multiColumn(items, nil, nil, nil), nil
	})
}

// Trigger instances.

func timestampOpts(what, field string) []option {
	return []option{
		{names: []string{"-tg", "--timestamp-gt"}, dest: "timestamp_gt", kind: optString, help: "Only return " + what + " with " + field + " greater than the one provided. Use time in the format 2000-01-01T12:00:00.000Z"},
		{names: []string{"-tl", "--timestamp-lt"}, dest: "timestamp_lt", kind: optString, help: "Only return " + what + " with " + strings.Replace(field, "occurrence_time", "timestamp", 1) + " lower than the one provided. Use time in the format 2000-01-01T12:00:00.000Z"},
	}
}

func triggerInstanceListSpec() *spec {
	opts := []option{lastOpt("triggerinstances"),
		{names: []string{"--trigger"}, dest: "trigger", kind: optString, help: "Trigger reference to filter the list.", grouped: true}}
	opts = append(opts, timestampOpts("trigger instances", "occurrence_time")...)
	opts = append(opts, option{names: []string{"--status"}, dest: "status", kind: optString, help: "Can be pending, processing, processed or processing_failed.", grouped: true})
	opts = append(opts, listOpts()...)
	return &spec{description: triggerInstanceListHelp, opts: resourceOpts(opts...)}
}

// triggerInstanceList is TriggerInstanceListCommand: GET
// /triggerinstances/?include_attributes=...&limit=N&trigger=...&
// timestamp_gt=...&timestamp_lt=...&status=..., shown oldest first. An
// empty list still prints the table's header, as StackStorm's does.
func triggerInstanceList(ctx context.Context, a *app, args *args) error {
	last := lastOrDefault(args)
	var q client.Query
	if inc := includeAttributes(args, triggerInstanceListAttrs, nil); len(inc) > 0 {
		q.Add("include_attributes", strings.Join(inc, ","))
	}
	q.Add("limit", strconv.Itoa(last))
	for _, f := range []string{"trigger", "timestamp_gt", "timestamp_lt", "status"} {
		if v := args.str(f); v != "" {
			q.Add(f, v)
		}
	}
	items, resp, err := a.query(ctx, "/triggerinstances/", q)
	if err != nil {
		return err
	}
	reversed := reverseObjects(items)
	at := attrs(args, triggerInstanceListAttrs)
	// StackStorm prints an iterator here, which is never "empty".
	switch {
	case args.boolean("json"):
		a.println(jsonOutput(reversed, at))
		return nil
	case args.boolean("yaml"):
		a.println(yamlOutput(reversed, at))
		return nil
	}
	a.println(a.multiColumn(reversed, at, args.ints("width"), transforms{"occurrence_time": a.formatTime}))
	a.noteIfMore(resp, "triggerinstances", last)
	return nil
}

func reverseObjects(items []*client.Object) []*client.Object {
	out := make([]*client.Object, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out
}

func reEmitSpec() *spec {
	return &spec{description: "Re-emit a particular trigger instance.", noHelp: true, opts: resourceOpts(
		option{names: []string{"-h", "--help"}, dest: "help", kind: optBool, help: "Print usage for the given command."}),
		pos: []positional{{name: "id", nargs: '?', help: "ID of trigger instance to re-emit."}}}
}

// triggerInstanceReEmit is TriggerInstanceResendCommand: POST
// /triggerinstances/<id>/re_emit with a JSON null body, then the
// answer's "message". (StackStorm's command forgets a -t/--api-key given
// on its command line and sends only the environment's; this one sends
// the credentials it was given.)
func triggerInstanceReEmit(ctx context.Context, a *app, args *args) error {
	if args.boolean("help") {
		sp := reEmitSpec()
		sp.prog = "st2 trigger-instance re-emit"
		a.outf("%s", sp.help())
		return nil
	}
	id := args.str("id")
	if !args.isSet("id") {
		id = "None"
	}
	resp, err := a.client.Do(ctx, client.API, client.Request{Method: http.MethodPost,
		Path: "/triggerinstances/" + url.PathEscape(id) + "/re_emit", Body: []byte("null")})
	if err != nil {
		return err
	}
	v, err := resp.JSON()
	if err != nil {
		return fmt.Errorf("decoding response of %s: %w", resp.URL, err)
	}
	if o, ok := v.(*client.Object); ok {
		if msg, ok := o.Get("message"); ok {
			a.println(pyfmt.Str(msg))
		}
	}
	return nil
}

// Rule enforcements.

func ruleEnforcementListSpec() *spec {
	opts := []option{lastOpt("rule enforcements"),
		{names: []string{"--trigger-instance"}, dest: "trigger_instance", kind: optString, help: "Trigger instance id to filter the list.", grouped: true},
		{names: []string{"--execution"}, dest: "execution", kind: optString, help: "Execution id to filter the list.", grouped: true},
		{names: []string{"--rule"}, dest: "rule", kind: optString, help: "Rule ref to filter the list.", grouped: true},
	}
	opts = append(opts, timestampOpts("enforcements", "enforced_at")...)
	opts = append(opts, listOpts()...)
	return &spec{description: ruleEnforcementListHelp, opts: resourceOpts(opts...)}
}

// ruleEnforcementList is RuleEnforcementListCommand: GET
// /ruleenforcements/?limit=N&trigger_instance=...&execution=...&
// rule_ref=...&enforced_at_gt=...&enforced_at_lt=... (no
// include_attributes). The table keeps the API's order and shows
// enforced_at as sent; -j and -y show the list reversed.
func ruleEnforcementList(ctx context.Context, a *app, args *args) error {
	last := lastOrDefault(args)
	q := client.Query{{Key: "limit", Value: strconv.Itoa(last)}}
	for _, f := range [][2]string{{"trigger_instance", "trigger_instance"}, {"execution", "execution"}, {"rule", "rule_ref"}, {"timestamp_gt", "enforced_at_gt"}, {"timestamp_lt", "enforced_at_lt"}} {
		if v := args.str(f[0]); v != "" {
			q.Add(f[1], v)
		}
	}
	items, resp, err := a.query(ctx, "/ruleenforcements/", q)
	if err != nil {
		return err
	}
	at := attrs(args, ruleEnforcementListAttrs)
	switch {
	case args.boolean("json"):
		a.println(jsonOutput(reverseObjects(items), at))
		return nil
	case args.boolean("yaml"):
		a.println(yamlOutput(reverseObjects(items), at))
		return nil
	}
	if err := a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	}); err != nil {
		return err
	}
	a.noteIfMore(resp, "rule enforcements", last)
	return nil
}

// Webhooks.

// webhookList is WebhookListCommand: the webhook triggers, each given a
// "url" attribute from parameters.url, sorted by it.
func webhookList(ctx context.Context, a *app, args *args) error {
	items, err := a.contentPackGetAll(ctx, args, "/webhooks", webhookListAttrs)
	if err != nil {
		return err
	}
	hooks := make([]*client.Object, len(items))
	for i, it := range items {
		params, ok := it.Get("parameters")
		if !ok {
			return fmt.Errorf("'Webhook' object has no attribute 'parameters'")
		}
		p, ok := params.(*client.Object)
		if !ok {
			return fmt.Errorf("'%s' object is not subscriptable", pyfmt.TypeName(params))
		}
		u, ok := p.Get("url")
		if !ok {
			return fmt.Errorf("'url'") // Python's KeyError
		}
		h := client.Clone(it).(*client.Object)
		h.Set("url", u)
		hooks[i] = h
	}
	sort.SliceStable(hooks, func(i, j int) bool {
		return pyfmt.Str(valueOr(hooks[i], "url", nil)) < pyfmt.Str(valueOr(hooks[j], "url", nil))
	})
	at := attrs(args, webhookListAttrs)
	return a.printResult(args, hooks, at, func() (string, error) {
		return a.multiColumn(hooks, at, args.ints("width"), nil), nil
	})
}

// Timers.

func timerListSpec() *spec {
	return &spec{description: "Get the list of timers.", opts: resourceOpts(append(listOpts(),
		option{names: []string{"-ty", "--timer-type"}, dest: "timer_type", kind: optString, help: "List timers type, example: 'core.st2.IntervalTimer', 'core.st2.DateTimer', 'core.st2.CronTimer'."})...)}
}

// timerList is TimerListCommand: GET /timers, or GET
// /timers/?timer_type=T with -ty. It asks for every attribute. As in
// StackStorm, a -t/--api-key on the command line also switches to the
// /timers/ form.
func timerList(ctx context.Context, a *app, args *args) error {
	path, q := "/timers", client.Query(nil)
	if t := args.str("timer_type"); t != "" {
		path, q = "/timers/", client.Query{{Key: "timer_type", Value: t}}
	} else if args.str("token") != "" || args.str("api_key") != "" {
		path = "/timers/"
	}
	var items []*client.Object
	var err error
	if path == "/timers/" {
		items, _, err = a.query(ctx, path, q)
	} else {
		items, _, err = a.getList(ctx, path, q)
	}
	if err != nil {
		return err
	}
	at := attrs(args, timerListAttrs)
	return a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	})
}
