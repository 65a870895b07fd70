package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// st2 apikey: StackStorm's ApiKeyBranch (st2client/commands/auth.py) over
// /v1/apikeys.

var (
	apikeyListAttrs    = []string{"id", "user", "metadata"}
	apikeyDisplayOrder = []string{"id", "user", "metadata"}
)

const apikeyDisplay = "API Key"

func apikeyListSpec() *spec {
	return &spec{description: "Get the list of api keys.", opts: resourceOpts(append(listOpts(),
		option{names: []string{"-u", "--user"}, dest: "user", kind: optString, help: "Only return ApiKeys belonging to the provided user"},
		option{names: []string{"-d", "--detail"}, dest: "detail", kind: optBool, help: "Full list of attributes."},
		option{names: []string{"--show-secrets"}, dest: "show_secrets", kind: optBool, help: "Full list of attributes."},
	)...)}
}

// apikeyList is GET /apikeys[?show_secrets=True][&user=U]: no
// include_attributes, unlike other lists.
func apikeyList(ctx context.Context, a *app, args *args) error {
	var q client.Query
	if args.boolean("show_secrets") {
		q.Add("show_secrets", "True")
	}
	if u := args.str("user"); u != "" {
		q.Add("user", u)
	}
	items, _, err := a.getList(ctx, "/apikeys", q)
	if err != nil {
		return err
	}
	at := attrs(args, apikeyListAttrs)
	if args.boolean("detail") {
		at = []string{"all"}
	}
	return a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	})
}

var apikeyGetSpec = getSpec("Get individual api key.", "key-or-id", "Key_Or_Id of the api key.")

func apikeyGet(ctx context.Context, a *app, args *args) error {
	return a.simpleGet(ctx, args, apikeyDisplay, "/apikeys/", args.list("key-or-id"), []string{"all"}, apikeyDisplayOrder)
}

func apikeyCreateSpec() *spec {
	return &spec{description: "Create a new api key.", opts: resourceOpts(
		option{names: []string{"-u", "--user"}, dest: "user", kind: optString, help: "User for which to create API Keys."},
		option{names: []string{"-m", "--metadata"}, dest: "metadata", kind: optString, help: "Optional metadata to associate with the API Keys."},
		option{names: []string{"-k", "--only-key"}, dest: "only_key", kind: optBool, help: "Only print API Key to the console on creation."},
	)}
}

// apikeyCreate is POST /apikeys with {"user": U, "metadata": M}, each only
// when given (and, for metadata, not empty).
func apikeyCreate(ctx context.Context, a *app, args *args) error {
	body := client.NewObject()
	if u := args.str("user"); u != "" {
		body.Set("user", u)
	}
	if args.isSet("metadata") {
		m, err := client.Decode([]byte(args.str("metadata")))
		if err != nil {
			sp := apikeyCreateSpec()
			sp.prog = "st2 apikey create"
			return &usageError{prog: sp.prog, sp: sp, msg: fmt.Sprintf("argument -m/--metadata: invalid loads value: %s", pyfmt.Repr(args.str("metadata")))}
		}
		if truthy(m) {
			body.Set("metadata", m)
		}
	}
	resp, err := a.do(ctx, client.API, http.MethodPost, "/apikeys", nil, body)
	var key *client.Object
	if err == nil {
		key, err = objectOf(resp)
	}
	if err != nil {
		var ce *client.ConnectionError
		if errors.As(err, &ce) || errors.Is(err, context.Canceled) {
			return err
		}
		// StackStorm prints the error itself and fails the operation.
		a.println("ERROR: " + err.Error())
		return exitCode(exitUsage)
	}
	if args.boolean("only_key") {
		a.println(pyfmt.Str(valueOr(key, "key", nil)))
		return nil
	}
	return a.printResult(args, key, []string{"all"}, func() (string, error) {
		return a.propertyValue(key, []string{"all"}, nil, nil), nil
	})
}

func apikeyPKSpec(verb string) func() *spec {
	return func() *spec {
		return &spec{description: verb + " an existing api key.", opts: resourceOpts(),
			pos: []positional{{name: "key-or-id", nargs: '1', help: "Key_Or_Id of the api key."}}}
	}
}

// apikeyFetch is get_resource_by_pk for delete, enable and disable. A
// missing key is reported as ResourceDeleteCommand intends
// ('API Key "X" is not found.', exit 2); StackStorm's CLI itself stumbles
// there on a None ("'NoneType' object has no attribute 'id'").
func (a *app) apikeyFetch(ctx context.Context, id string) (*client.Object, error) {
	key, err := a.getByPK(ctx, "/apikeys/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	if key == nil {
		a.printNotFound(apikeyDisplay, id)
		return nil, exitCode(exitUsage)
	}
	return key, nil
}

func apikeyDelete(ctx context.Context, a *app, args *args) error {
	id := args.str("key-or-id")
	key, err := a.apikeyFetch(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.do(ctx, client.API, http.MethodDelete, "/apikeys/"+url.PathEscape(key.String("id")), nil, nil); err != nil && client.StatusOf(err) != http.StatusNotFound {
		return err
	}
	a.println(fmt.Sprintf("Resource with id %q has been successfully deleted.", id))
	return nil
}

// apikeyEnable is ResourceEnableCommand / ResourceDisableCommand: the key
// as the API returned it, "ref" dropped, "enabled" set, PUT back whole.
func apikeyEnable(enabled bool) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		key, err := a.apikeyFetch(ctx, args.str("key-or-id"))
		if err != nil {
			return err
		}
		body := client.Clone(key).(*client.Object)
		body.Delete("ref")
		body.Set("enabled", enabled)
		resp, err := a.do(ctx, client.API, http.MethodPut, "/apikeys/"+url.PathEscape(key.String("id")), nil, body)
		if err != nil {
			return err
		}
		updated, err := objectOf(resp)
		if err != nil {
			return err
		}
		return a.printResult(args, updated, []string{"all"}, func() (string, error) {
			return a.propertyValue(updated, []string{"all"}, nil, nil), nil
		})
	}
}

func apikeyLoadSpec() *spec {
	return &spec{description: "Load api key from a file.", opts: resourceOpts(
		option{names: []string{"-w", "--width"}, dest: "width", kind: optIntList, help: "Set the width of columns in output."},
	), pos: []positional{{name: "file", nargs: '1', help: "JSON/YAML file containing the api key(s) to load."}}}
}

// apikeyLoad is ApiKeyLoadCommand: for each key in the file, PUT
// /apikeys/<id> with {user, key_hash, metadata, enabled, id}, and POST
// /apikeys with the same body when the PUT answers 404.
func apikeyLoad(ctx context.Context, a *app, args *args) error {
	file := args.str("file")
	doc, err := loadMetaFile(file)
	if err != nil {
		return err
	}
	if !truthy(doc) {
		a.println(fmt.Sprintf("No api key found in %s.", file))
		return nil
	}
	records, ok := doc.([]any)
	if !ok {
		records = []any{doc}
	}
	var results []*client.Object
	for _, r := range records {
		res, ok := r.(*client.Object)
		if !ok {
			return fmt.Errorf("%s: every api key must be a mapping, got %s", file, pyfmt.Repr(r))
		}
		data := client.NewObject()
		for _, k := range []string{"user", "key_hash"} {
			v, ok := res.Get(k)
			if !ok {
				return errors.New(pyfmt.Repr(k)) // Python's KeyError
			}
			data.Set(k, v)
		}
		data.Set("metadata", valueOr(res, "metadata", client.NewObject()))
		data.Set("enabled", valueOr(res, "enabled", false))
		id, hasID := res.Get("id")
		if !hasID {
			return errors.New("'ApiKey' object has no attribute 'id'")
		}
		data.Set("id", id)
		resp, err := a.do(ctx, client.API, http.MethodPut, "/apikeys/"+url.PathEscape(pyfmt.Str(id)), nil, data)
		if client.StatusOf(err) == http.StatusNotFound {
			resp, err = a.do(ctx, client.API, http.MethodPost, "/apikeys", nil, data)
		}
		if err != nil {
			return err
		}
		o, err := objectOf(resp)
		if err != nil {
			return err
		}
		results = append(results, o)
	}
	return a.printResult(args, results, apikeyListAttrs, func() (string, error) {
		return a.multiColumn(results, apikeyListAttrs, args.ints("width"), nil), nil
	})
}

func cloneSpec(display string) func() *spec {
	return func() *spec {
		return &spec{description: "Clone a new " + display + ".", opts: resourceOpts()}
	}
}

// cloneNotImplemented is ResourceCloneCommand for resources without clone.
func cloneNotImplemented(branch string) func(ctx context.Context, a *app, args *args) error {
	return func(ctx context.Context, a *app, args *args) error {
		return fmt.Errorf("clone '%s' is not implemented.", branch)
	}
}
