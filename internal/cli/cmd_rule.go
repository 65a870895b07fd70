package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// st2 rule, and the create/update/delete/enable/disable commands StackStorm's
// ResourceBranch gives rules, triggers, sensors and rule enforcements
// (st2client/commands/resource.py and rule.py).

// resource describes one of st2client's resource models: how the CLI
// names it and where the API keeps it.
type resource struct {
	// class is the model's class name in lower case ("triggertype"), as
	// the "More than one ... named" error shows it.
	class string
	// display is the display name ("Trigger Instance").
	display string
	// collection is the API collection ("triggertypes").
	collection string
	// pk is the argument a command takes to find one: "ref_or_id",
	// "name_or_id", "id" or "url".
	pk string
}

var (
	ruleResource            = &resource{class: "rule", display: "Rule", collection: "rules", pk: "ref_or_id"}
	triggerTypeResource     = &resource{class: "triggertype", display: "Trigger", collection: "triggertypes", pk: "ref_or_id"}
	triggerInstanceResource = &resource{class: "triggerinstance", display: "Trigger Instance", collection: "triggerinstances", pk: "id"}
	ruleEnforcementResource = &resource{class: "ruleenforcement", display: "Rule Enforcement", collection: "ruleenforcements", pk: "name_or_id"}
	sensorResource          = &resource{class: "sensor", display: "Sensor", collection: "sensortypes", pk: "ref_or_id"}
	webhookResource         = &resource{class: "webhook", display: "Webhook", collection: "webhooks", pk: "url"}
	timerResource           = &resource{class: "timer", display: "Timer", collection: "timers", pk: "name_or_id"}
)

// withPK returns a copy of r whose commands take another argument.
func (r *resource) withPK(pk string) *resource {
	c := *r
	c.pk = pk
	return &c
}

// pkName is the argument's name on the command line ("ref-or-id").
func (r *resource) pkName() string { return strings.ReplaceAll(r.pk, "_", "-") }

// pkHelp is _get_help_for_argument.
func (r *resource) pkHelp() string {
	lower := strings.ToLower(r.display)
	switch {
	case strings.Contains(r.pk, "ref"):
		return "Reference or ID of the " + lower + "."
	case strings.Contains(r.pk, "name_or_id"):
		return "Name or ID of the " + lower + "."
	}
	return strings.ToUpper(r.pk[:1]) + r.pk[1:] + " of the " + lower + "."
}

// itemPath is the API path of one item: "/rules/<id>".
func (r *resource) itemPath(id string) string {
	if r.pk == "url" {
		// A webhook's URL may hold slashes; st2client sends them as they are.
		segs := strings.Split(id, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		return "/" + r.collection + "/" + strings.Join(segs, "/")
	}
	return "/" + r.collection + "/" + url.PathEscape(id)
}

// getSpec is ResourceGetCommand's arguments for r.
func (r *resource) getSpec(extra ...option) func() *spec {
	return getSpec("Get individual "+strings.ToLower(r.display)+".", r.pkName(), r.pkHelp(), extra...)
}

// pkSpec is the arguments of delete, enable and disable: the one
// positional that names the resource.
func (r *resource) pkSpec(verb string) func() *spec {
	return func() *spec {
		return &spec{description: verb + " an existing " + strings.ToLower(r.display) + ".", opts: resourceOpts(),
			pos: []positional{{name: r.pkName(), nargs: '1', help: r.pkHelp()}}}
	}
}

// get is ResourceGetCommand: GET <collection>/<id> for each id given
// (not found unless the API answers), printed as Property/Value tables.
func (r *resource) get(def, order []string) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		items, err := a.getMany(ctx, r.display, args.list(r.pkName()), func(id string) (*client.Object, error) {
			return a.getByPK(ctx, r.itemPath(id), nil)
		})
		if err != nil {
			return err
		}
		at := attrs(args, def)
		for _, it := range items {
			if err := a.printResult(args, it, at, func() (string, error) {
				return a.propertyValue(it, at, order, nil), nil
			}); err != nil {
				return err
			}
		}
		return nil
	}
}

// fetch is ResourceCommand.get_resource: by reference or id, by name and
// then id, or by primary key, as the resource's argument says. A missing
// resource is a *notFoundError with StackStorm's wording.
func (r *resource) fetch(ctx context.Context, a *app, id string) (*client.Object, error) {
	var o *client.Object
	var err error
	var msg string
	switch r.pk {
	case "ref_or_id":
		o, err = a.getByRefOrID(ctx, r.itemPath(id), nil)
		msg = fmt.Sprintf("Resource with id or reference %q doesn't exist.", id)
	case "name_or_id":
		o, err = a.getByName(ctx, r.collection, id, r.class)
		if err == nil && o == nil {
			o, err = a.getByPK(ctx, r.itemPath(id), nil)
		}
		msg = fmt.Sprintf("Resource with id or name %q doesn't exist.", id)
	default:
		o, err = a.getByPK(ctx, r.itemPath(id), nil)
		msg = fmt.Sprintf("Resource with id %q doesn't exist.", id)
	}
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, &notFoundError{msg}
	}
	return o, nil
}

// printAll prints a resource with every attribute and the default display
// order, as create, update, enable and disable do.
func (a *app) printAll(args *args, o *client.Object) error {
	at := []string{"all"}
	return a.printResult(args, o, at, func() (string, error) {
		return a.propertyValue(o, at, nil, nil), nil
	})
}

// modelDocument is Resource.deserialize on a loaded file: only a mapping
// makes a resource. Anything else fails as orjson.loads does on it.
func modelDocument(doc any) (*client.Object, error) {
	o, ok := doc.(*client.Object)
	if !ok {
		return nil, errors.New("Input must be bytes, bytearray, memoryview, or str")
	}
	return o, nil
}

func (r *resource) createSpec() *spec {
	lower := strings.ToLower(r.display)
	return &spec{description: "Create a new " + lower + ".", opts: resourceOpts(),
		pos: []positional{{name: "file", nargs: '1', help: "JSON/YAML file containing the " + lower + " to create."}}}
}

// create is ResourceCreateCommand: POST <collection> with the file's
// document. Any failure is printed as "ERROR: ..." and exits 2.
func (r *resource) create(ctx context.Context, a *app, args *args) error {
	created, err := func() (*client.Object, error) {
		doc, err := loadMetaFile(args.str("file"))
		if err != nil {
			return nil, err
		}
		body, err := modelDocument(doc)
		if err != nil {
			return nil, err
		}
		resp, err := a.do(ctx, client.API, http.MethodPost, "/"+r.collection, nil, body)
		if err != nil {
			return nil, err
		}
		return objectOf(resp)
	}()
	if err == nil {
		return a.printAll(args, created)
	}
	var ce *client.ConnectionError
	if errors.As(err, &ce) || errors.Is(err, context.Canceled) {
		return err
	}
	a.println("ERROR: " + err.Error())
	return exitCode(exitUsage)
}

func (r *resource) updateSpec() *spec {
	lower := strings.ToLower(r.display)
	return &spec{description: "Updating an existing " + lower + ".", opts: resourceOpts(),
		pos: []positional{
			{name: r.pkName(), nargs: '1', help: r.pkHelp()},
			{name: "file", nargs: '1', help: "JSON/YAML file containing the " + lower + " to update."},
		}}
}

// update is ResourceUpdateCommand: find the resource, read the file, give
// the document the resource's id when it has none (a different one is an
// error), and PUT it to <collection>/<id>.
func (r *resource) update(ctx context.Context, a *app, args *args) error {
	current, err := r.fetch(ctx, a, args.str(r.pkName()))
	if err != nil {
		return err
	}
	doc, err := loadMetaFile(args.str("file"))
	if err != nil {
		return err
	}
	body, err := modelDocument(doc)
	if err != nil {
		return err
	}
	curID, _ := current.Get("id")
	if id, _ := body.Get("id"); !truthy(id) {
		body.Set("id", curID)
	} else if pyfmt.Repr(id) != pyfmt.Repr(curID) {
		return fmt.Errorf("The value for the %s id in the JSON/YAML file does not match the ID provided in the command line arguments.", strings.ToLower(r.display))
	}
	id, _ := body.Get("id")
	resp, err := a.do(ctx, client.API, http.MethodPut, r.itemPath(pyfmt.Str(id)), nil, body)
	if err != nil {
		return err
	}
	updated, err := objectOf(resp)
	if err != nil {
		return err
	}
	return a.printAll(args, updated)
}

// delete is ResourceDeleteCommand: find the resource, then DELETE
// <collection>/<id> (404 counts as deleted).
func (r *resource) delete(ctx context.Context, a *app, args *args) error {
	name := args.str(r.pkName())
	current, err := r.fetch(ctx, a, name)
	var nf *notFoundError
	if errors.As(err, &nf) {
		a.printNotFound(r.display, name)
		return exitCode(exitUsage)
	}
	if err != nil {
		return err
	}
	if _, err := a.do(ctx, client.API, http.MethodDelete, r.itemPath(current.String("id")), nil, nil); err != nil && client.StatusOf(err) != http.StatusNotFound {
		return err
	}
	a.println(fmt.Sprintf("Resource with id %q has been successfully deleted.", name))
	return nil
}

// enable is ResourceEnableCommand / ResourceDisableCommand: the resource as
// the API returned it, "ref" dropped, "enabled" set, PUT back whole.
func (r *resource) enable(enabled bool) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		current, err := r.fetch(ctx, a, args.str(r.pkName()))
		if err != nil {
			return err
		}
		body := client.Clone(current).(*client.Object)
		body.Delete("ref")
		body.Set("enabled", enabled)
		resp, err := a.do(ctx, client.API, http.MethodPut, r.itemPath(body.String("id")), nil, body)
		if err != nil {
			return err
		}
		updated, err := objectOf(resp)
		if err != nil {
			return err
		}
		return a.printAll(args, updated)
	}
}

// Rules.

var (
	ruleListAttrs     = []string{"ref", "pack", "description", "enabled"}
	ruleIFTTAttrs     = []string{"ref", "trigger.ref", "action.ref", "enabled"}
	ruleDisplayOrder  = []string{"id", "uid", "ref", "pack", "name", "description", "enabled"}
	ruleCommandHelp   = `A specification to invoke an "action" on a "trigger" selectively based on some criteria.`
	ruleListHelp      = "Get the list of the 50 most recent rules."
	packFilterOptHelp = "Only return resources belonging to the provided pack"
)

func ruleCommands() []*command {
	r := ruleResource
	return []*command{
		{name: "list", help: ruleListHelp, spec: ruleListSpec, run: ruleList},
		{name: "get", help: "Get individual rule.", spec: r.getSpec(), run: r.get([]string{"all"}, ruleDisplayOrder)},
		{name: "create", help: "Create a new rule.", spec: r.createSpec, run: r.create},
		{name: "update", help: "Updating an existing rule.", spec: r.updateSpec, run: r.update},
		{name: "delete", help: "Delete an existing rule.", spec: r.pkSpec("Delete"), run: r.delete},
		{name: "clone", help: "Clone a new rule.", spec: cloneSpec("rule"), run: cloneNotImplemented("rule")},
		{name: "enable", help: "Enable an existing rule.", spec: r.pkSpec("Enable"), run: r.enable(true)},
		{name: "disable", help: "Disable an existing rule.", spec: r.pkSpec("Disable"), run: r.enable(false)},
	}
}

func lastOpt(plural string) option {
	return option{names: []string{"-n", "--last"}, dest: "last", kind: optInt, help: "List N most recent " + plural + ". Use -n -1 to fetch the full result set."}
}

func ruleListSpec() *spec {
	return &spec{description: ruleListHelp, opts: resourceOpts(append(listOpts(),
		lastOpt("rules"),
		option{names: []string{"--iftt"}, dest: "iftt", kind: optBool, help: "Show trigger and action in display list."},
		option{names: []string{"-p", "--pack"}, dest: "pack", kind: optString, help: packFilterOptHelp},
		option{names: []string{"-c", "--action"}, dest: "action", kind: optString, help: "Action reference to filter the list.", grouped: true},
		option{names: []string{"-g", "--trigger"}, dest: "trigger", kind: optString, help: "Trigger type reference to filter the list.", grouped: true},
		option{names: []string{"--enabled"}, dest: "enabled", kind: optBool, help: "Show rules that are enabled.", mutex: "enabled"},
		option{names: []string{"--disabled"}, dest: "disabled", kind: optBool, help: "Show rules that are disabled.", mutex: "enabled"},
	)...)}
}

// ruleList is RuleListCommand: GET /rules/?include_attributes=...&limit=N
// with the filters after, in StackStorm's order.
func ruleList(ctx context.Context, a *app, args *args) error {
	last := lastOrDefault(args)
	at := attrs(args, ruleListAttrs)
	if args.boolean("iftt") {
		at = ruleIFTTAttrs
	}
	var q client.Query
	if !contains(at, "all") {
		q.Add("include_attributes", strings.Join(at, ","))
	}
	q.Add("limit", strconv.Itoa(last))
	for _, f := range []string{"pack", "action", "trigger"} {
		if v := args.str(f); v != "" {
			q.Add(f, v)
		}
	}
	switch {
	case args.boolean("enabled"):
		q.Add("enabled", "True")
	case args.boolean("disabled"):
		q.Add("enabled", "False")
	}
	items, resp, err := a.query(ctx, "/rules/", q)
	if err != nil {
		return err
	}
	if err := a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	}); err != nil {
		return err
	}
	if !args.boolean("json") && !args.boolean("yaml") {
		a.noteIfMore(resp, "rules", last)
	}
	return nil
}

// query is ResourceManager.query_with_count: GET <collection>/?..., where
// 404 means an empty list.
func (a *app) query(ctx context.Context, path string, q client.Query) ([]*client.Object, *client.Response, error) {
	items, resp, err := a.getList(ctx, path, q)
	if client.StatusOf(err) == http.StatusNotFound {
		return nil, nil, nil
	}
	return items, resp, err
}

// noteIfMore prints the "Only first N ... are displayed" note when the
// X-Total-Count header says there are more than the limit.
func (a *app) noteIfMore(resp *client.Response, entity string, last int) {
	if resp == nil || last == 0 {
		return
	}
	if count, err := strconv.Atoi(resp.Header.Get("X-Total-Count")); err == nil && count > last {
		a.noteBox(entity, last)
	}
}
