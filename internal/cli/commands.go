package cli

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// command is a leaf ("st2 action list") or a branch ("st2 action").
type command struct {
	name, path, help string
	spec             func() *spec
	run              func(ctx context.Context, a *app, args *args) error
	// skipAuth: never log in with the config's credentials first (auth, login).
	skipAuth bool
	subs     []*command
	// plural names what a branch manages in its help ("api keys"); the
	// default is the branch name plus "s".
	plural string
}

func commandTree() []*command {
	return []*command{
		{name: "run", help: "Invoke an action manually.", spec: runSpec("run"), run: runAction("run")},
		{name: "action", help: "An activity that happens as a response to the external event.", subs: []*command{
			{name: "list", help: "Get the list of actions.", spec: actionListSpec, run: actionList},
			{name: "get", help: "Get individual action.", spec: actionGetSpec, run: actionGet},
			{name: "execute", help: "Invoke an action manually.", spec: runSpec("execute"), run: runAction("execute")},
		}},
		{name: "auth", help: "Authenticate user and acquire access token.", spec: authSpec, run: authCreate, skipAuth: true},
		{name: "login", help: "Authenticate user, acquire access token, and update CLI config directory", spec: loginSpec, run: login, skipAuth: true},
		{name: "whoami", help: "Display the currently authenticated user", spec: whoamiSpec, run: whoami},
		{name: "apikey", help: "API Keys.", plural: "api keys", subs: []*command{
			{name: "list", help: "Get the list of api keys.", spec: apikeyListSpec, run: apikeyList},
			{name: "get", help: "Get individual api key.", spec: apikeyGetSpec, run: apikeyGet},
			{name: "create", help: "Create a new api key.", spec: apikeyCreateSpec, run: apikeyCreate},
			{name: "delete", help: "Delete an existing api key.", spec: apikeyPKSpec("Delete"), run: apikeyDelete},
			{name: "clone", help: "Clone a new api key.", spec: cloneSpec("api key"), run: cloneNotImplemented("apikey")},
			{name: "enable", help: "Enable an existing api key.", spec: apikeyPKSpec("Enable"), run: apikeyEnable(true)},
			{name: "disable", help: "Disable an existing api key.", spec: apikeyPKSpec("Disable"), run: apikeyEnable(false)},
			{name: "load", help: "Load api key from a file.", spec: apikeyLoadSpec, run: apikeyLoad},
		}},
		{name: "execution", help: "An invocation of an action.", plural: "action executions", subs: []*command{
			{name: "list", help: "Get the list of the 50 most recent action executions.", spec: executionListSpec, run: executionList},
			{name: "get", help: "Get individual action execution.", spec: executionGetSpec, run: executionGet},
			{name: "re-run", help: "Re-run a particular action.", spec: rerunSpec, run: executionRerun},
			{name: "cancel", help: "Cancel action executions.", spec: idsSpec("IDs of the action executions to cancel."), run: executionCancel},
			{name: "pause", help: "Pause action executions (workflow executions only).", spec: pauseResumeSpec("pause"), run: executionPauseResume("pausing")},
			{name: "resume", help: "Resume action executions (workflow executions only).", spec: pauseResumeSpec("resume"), run: executionPauseResume("resuming")},
			{name: "tail", help: "Tail output of a particular execution.", spec: tailSpec, run: executionTail},
		}},
		{name: "key", help: "Key value pair is used to store commonly used configuration for reuse in sensors, actions, and rules.", plural: "key value pairs", subs: []*command{
			{name: "list", help: "Get the list of the 50 most recent key value pairs.", spec: keyListSpec, run: keyList},
			{name: "get", help: "Get individual key value pair.", spec: keyGetSpec, run: keyGet},
			{name: "delete", help: "Delete an existing key value pair.", spec: keyDeleteSpec, run: keyDelete},
			{name: "clone", help: "Clone a new key value pair.", spec: cloneSpec("key value pair"), run: cloneNotImplemented("key")},
			{name: "set", help: "Set an existing key value pair.", spec: keySetSpec, run: keySet},
			{name: "load", help: "Load a list of key value pairs from file.", spec: keyLoadSpec, run: keyLoad},
			{name: "delete_by_prefix", help: "Delete KeyValue pairs which match the provided prefix", spec: keyDeleteByPrefixSpec, run: keyDeleteByPrefix},
		}},
		{name: "pack", help: "A group of related integration resources: actions, rules, and sensors.", subs: []*command{
			{name: "list", help: "Get the list of packs.", spec: packListSpec, run: packList},
			{name: "get", help: "Get information about an installed pack.", spec: packGetSpec, run: packGet},
			{name: "register", help: "Register pack(s): sync all file changes with DB.", spec: packRegisterSpec, run: packRegister},
		}},
		{name: "rule", help: ruleCommandHelp, subs: ruleCommands()},
		{name: "webhook", help: "Webhooks.", subs: webhookCommands()},
		{name: "timer", help: "Timers.", subs: timerCommands()},
		{name: "runner", help: "Runner is a type of handler for a specific class of actions.", subs: []*command{
			{name: "list", help: "Get the list of runners.", spec: runnerListSpec, run: runnerList},
			{name: "get", help: "Get individual runner.", spec: runnerGetSpec, run: runnerGet},
		}},
		{name: "sensor", help: "An adapter which allows you to integrate StackStorm with external system.", plural: "sensortypes", subs: sensorCommands()},
		{name: "trigger", help: "An external event that is mapped to a st2 input. It is the st2 invocation point.", subs: triggerCommands()},
		{name: "trigger-instance", help: "Actual instances of triggers received by st2.", plural: "triggerinstances", subs: triggerInstanceCommands()},
		{name: "rule-enforcement", help: "Models that represent enforcement of rules.", plural: "rule enforcements", subs: ruleEnforcementCommands()},
	}
}

func commandNames() []string {
	var names []string
	for _, c := range commandTree() {
		names = append(names, c.name)
	}
	return names
}

// findCommand resolves "action list ..." to its leaf command and the
// remaining arguments.
func findCommand(name string, rest []string) (*command, []string, error) {
	var cmd *command
	for _, c := range commandTree() {
		if c.name == name {
			cmd = c
		}
	}
	if cmd == nil {
		return nil, nil, &usageError{prog: "st2", sp: globalSpec(), msg: fmt.Sprintf("argument parser: invalid choice: '%s' (choose from %s)", name, quoteList(commandNames()))}
	}
	cmd.path = cmd.name
	if cmd.subs == nil {
		return cmd, rest, nil
	}
	branch := &spec{prog: "st2 " + cmd.name, description: cmd.help}
	var subNames []string
	for _, s := range cmd.subs {
		subNames = append(subNames, s.name)
	}
	plural := cmd.plural
	if plural == "" {
		plural = cmd.name + "s"
	}
	var choices [][2]string
	for _, s := range cmd.subs {
		choices = append(choices, [2]string{s.name, s.help})
	}
	branch.pos = []positional{{name: "{" + strings.Join(subNames, ",") + "}", nargs: 'A', help: "List of commands for managing " + plural + ".", choices: choices}}
	if len(rest) == 0 {
		return nil, nil, &usageError{prog: branch.prog, sp: branch, msg: "the following arguments are required: " + branch.pos[0].name}
	}
	if rest[0] == "-h" || rest[0] == "--help" {
		return nil, nil, helpRequested{branch}
	}
	for _, s := range cmd.subs {
		if s.name == rest[0] {
			s.path = cmd.name + " " + s.name
			return s, rest[1:], nil
		}
	}
	return nil, nil, &usageError{prog: branch.prog, sp: branch, msg: fmt.Sprintf("argument %s: invalid choice: '%s' (choose from %s)", branch.pos[0].name, rest[0], quoteList(subNames))}
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// Option sets shared by many commands.

func tokenOpts() []option {
	return []option{
		{names: []string{"-t", "--token"}, dest: "token", kind: optString, help: "Access token for user authentication. Get ST2_AUTH_TOKEN from the environment variables by default."},
		{names: []string{"--api-key"}, dest: "api_key", kind: optString, help: "Api Key for user authentication. Get ST2_API_KEY from the environment variables by default."},
	}
}

func formatOpts() []option {
	return []option{
		{names: []string{"-j", "--json"}, dest: "json", kind: optBool, help: "Print output in JSON format."},
		{names: []string{"-y", "--yaml"}, dest: "yaml", kind: optBool, help: "Print output in YAML format."},
	}
}

func listOpts() []option {
	return []option{
		{names: []string{"-a", "--attr"}, dest: "attr", kind: optList, help: `List of attributes to include in the output. "all" will return all attributes.`},
		{names: []string{"-w", "--width"}, dest: "width", kind: optIntList, help: "Set the width of columns in output."},
	}
}

func resourceOpts(extra ...option) []option {
	return append(append(tokenOpts(), formatOpts()...), extra...)
}

// attrs returns the -a/--attr values or the command's defaults.
func attrs(args *args, def []string) []string {
	if l := args.list("attr"); len(l) > 0 {
		return l
	}
	return def
}

// includeAttributes mirrors ResourceViewCommand._get_include_attributes:
// nil means "all attributes".
func includeAttributes(args *args, def []string, extra []string) []string {
	at := args.list("attr")
	if len(at) == 0 {
		at = def
	}
	if contains(at, "all") {
		return nil
	}
	inc := append([]string(nil), extra...)
	inc = append(inc, at...)
	if len(inc) > 0 {
		return inc
	}
	seen := map[string]bool{}
	for _, d := range def {
		if !seen[d] {
			seen[d] = true
			inc = append(inc, d)
		}
	}
	return inc
}

// printResult prints a subject as -j, -y or with the given table renderer;
// empty subjects print "No matching items found".
func (a *app) printResult(args *args, subject any, attrs []string, render func() (string, error)) error {
	empty := subject == nil
	switch t := subject.(type) {
	case []*client.Object:
		empty = len(t) == 0
	case *client.Object:
		empty = t == nil || t.Len() == 0
	}
	if empty {
		a.println("No matching items found")
		return nil
	}
	var out string
	var err error
	switch {
	case args.boolean("json"):
		out = jsonOutput(subject, attrs)
	case args.boolean("yaml"):
		out = yamlOutput(subject, attrs)
	default:
		out, err = render()
	}
	if err != nil {
		return err
	}
	a.println(out)
	return nil
}

// REST helpers.

func (a *app) do(ctx context.Context, svc client.Service, method, path string, q client.Query, body any) (*client.Response, error) {
	var b any
	if body != nil {
		b = []byte(pyfmt.JSON(body, -1, false))
	}
	return a.client.Do(ctx, svc, client.Request{Method: method, Path: path, Query: q, Body: b})
}

// getObject GETs one document.
func (a *app) getObject(ctx context.Context, path string, q client.Query) (*client.Object, error) {
	resp, err := a.do(ctx, client.API, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, err
	}
	return objectOf(resp)
}

func objectOf(resp *client.Response) (*client.Object, error) {
	v, err := resp.JSON()
	if err != nil {
		return nil, fmt.Errorf("decoding response of %s: %w", resp.URL, err)
	}
	o, ok := v.(*client.Object)
	if !ok {
		if v == nil {
			return client.NewObject(), nil
		}
		return nil, fmt.Errorf("decoding response of %s: expected a JSON object", resp.URL)
	}
	return o, nil
}

// getList GETs a collection.
func (a *app) getList(ctx context.Context, path string, q client.Query) ([]*client.Object, *client.Response, error) {
	resp, err := a.do(ctx, client.API, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, nil, err
	}
	v, err := resp.JSON()
	if err != nil {
		return nil, nil, fmt.Errorf("decoding response of %s: %w", resp.URL, err)
	}
	l, ok := v.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("decoding response of %s: expected a JSON array", resp.URL)
	}
	out := make([]*client.Object, 0, len(l))
	for _, e := range l {
		if o, ok := e.(*client.Object); ok {
			out = append(out, o)
		}
	}
	return out, resp, nil
}

// getByPK is get_resource_by_pk: 401 and 403 (and connection failures) are
// errors, any other failure means "not found" (nil, nil).
func (a *app) getByPK(ctx context.Context, path string, q client.Query) (*client.Object, error) {
	o, err := a.getObject(ctx, path, q)
	if err == nil {
		return o, nil
	}
	switch client.StatusOf(err) {
	case http.StatusUnauthorized, http.StatusForbidden:
		return nil, err
	case 0:
		return nil, err
	}
	return nil, nil
}

// getByRefOrID is get_by_ref_or_id: 404 is "not found" (nil, nil), other
// errors are errors.
func (a *app) getByRefOrID(ctx context.Context, path string, q client.Query) (*client.Object, error) {
	o, err := a.getObject(ctx, path, q)
	if client.StatusOf(err) == http.StatusNotFound {
		return nil, nil
	}
	return o, err
}

// getByName is ResourceManager.get_by_name: GET <collection>/?name=X.
func (a *app) getByName(ctx context.Context, collection, name, kind string) (*client.Object, error) {
	items, _, err := a.getList(ctx, "/"+collection+"/", client.Query{{Key: "name", Value: name}})
	if client.StatusOf(err) == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch len(items) {
	case 0:
		return nil, nil
	case 1:
		return items[0], nil
	}
	return nil, fmt.Errorf("More than one %s named %q are found.", kind, name)
}

// getMany is _get_multiple_resources: fetch each id, print "not found" for
// missing ones, and fail only when a single id was asked for.
func (a *app) getMany(ctx context.Context, display string, ids []string, fetch func(id string) (*client.Object, error)) ([]*client.Object, error) {
	var out []*client.Object
	for _, id := range ids {
		o, err := fetch(id)
		if err != nil {
			return nil, err
		}
		if o == nil {
			a.printNotFound(display, id)
			if len(ids) == 1 {
				return nil, &notFoundError{fmt.Sprintf("Resource %s not found.", id)}
			}
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

func (a *app) printNotFound(display, id string) {
	a.outf("%s \"%s\" is not found.\n\n", display, id)
}

func sortedKeysOf(m map[string]bool) []string {
	var l []string
	for k := range m {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}
