package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pyfmt"
)

// tokenGracePeriod: a cached token this close to expiry is not used.
const tokenGracePeriod = 15 * time.Second

func authSpec() *spec {
	return &spec{description: "Authenticate user and acquire access token.", opts: append(formatOpts(),
		option{names: []string{"-p", "--password"}, dest: "password", kind: optString, help: "Password for the user. If password is not provided, it will be prompted for."},
		option{names: []string{"-l", "--ttl"}, dest: "ttl", kind: optInt, help: "The life span of the token in seconds. Max TTL configured by the admin supersedes this."},
		option{names: []string{"-t", "--only-token"}, dest: "only_token", kind: optBool, help: "On successful authentication, print only token to the console."},
	), pos: []positional{{name: "username", nargs: '1', help: "Name of the user to authenticate."}}}
}

// createToken is POST <auth url>/tokens with basic auth.
func (a *app) createToken(ctx context.Context, user, password string, ttl int) (*client.Object, error) {
	body := client.NewObject()
	if ttl != 0 {
		body.Set("ttl", ttl)
	}
	resp, err := a.client.Do(ctx, client.Auth, client.Request{Method: http.MethodPost, Path: "/tokens",
		Body: []byte(pyfmt.JSON(body, -1, false)), Basic: &[2]string{user, password}})
	if err != nil {
		return nil, err
	}
	return objectOf(resp)
}

func (a *app) readPassword() (string, error) {
	fmt.Fprint(a.stderr, "Password: ")
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("reading password: %w", err)
	}
	fmt.Fprintln(a.stderr)
	return strings.TrimRight(line, "\r\n"), nil
}

func authCreate(ctx context.Context, a *app, args *args) error {
	password := args.str("password")
	if password == "" {
		p, err := a.readPassword()
		if err != nil {
			return err
		}
		password = p
	}
	ttl, _ := args.integer("ttl")
	tok, err := a.createToken(ctx, args.str("username"), password, ttl)
	if err != nil {
		return err
	}
	if args.boolean("only_token") {
		a.println(pyfmt.Str(valueOr(tok, "token", nil)))
		return nil
	}
	at := []string{"user", "token", "expiry"}
	return a.printResult(args, tok, at, func() (string, error) {
		return a.propertyValue(tok, at, nil, nil), nil
	})
}

// configToken returns a token for the [credentials] of the config file,
// from the cache ~/.st2/token-<user> when it is still valid, else from
// POST /tokens (and caches it).
func (a *app) configToken(ctx context.Context, username, password string, cache bool) (string, error) {
	dir := configDir(a.env)
	path := filepath.Join(dir, "token-"+username)
	if cache {
		if data, err := os.ReadFile(path); err == nil {
			var c struct {
				Token           *string  `json:"token"`
				ExpireTimestamp *float64 `json:"expire_timestamp"`
			}
			if err := json.Unmarshal(data, &c); err != nil || c.Token == nil || c.ExpireTimestamp == nil {
				return "", fmt.Errorf("File %q with cached token is corrupted or invalid. Please delete  this file", path)
			}
			expires := time.Unix(int64(*c.ExpireTimestamp), 0)
			if expires.Add(-tokenGracePeriod).After(a.now()) {
				return *c.Token, nil
			}
		}
	}
	tok, err := a.createToken(ctx, username, password, 0)
	if err != nil {
		return "", err
	}
	token := tok.String("token")
	if cache {
		if err := a.cacheToken(dir, tok); err != nil {
			a.errf("WARNING: Unable to write token to %q (%v). Subsequent requests won't use a cached token meaning they may be slower.\n", path, err)
		}
	}
	return token, nil
}

func (a *app) cacheToken(dir string, tok *client.Object) error {
	exp, err := model.ParseTime(tok.String("expiry"))
	if err != nil {
		return fmt.Errorf("parsing token expiry %q: %w", tok.String("expiry"), err)
	}
	if err := os.MkdirAll(dir, 0o770); err != nil {
		return err
	}
	data := client.NewObject()
	data.Set("token", tok.String("token"))
	data.Set("expire_timestamp", exp.Unix())
	path := filepath.Join(dir, "token-"+tok.String("user"))
	tmp, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(pyfmt.JSON(data, -1, false)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func whoamiSpec() *spec {
	return &spec{description: "Display the currently authenticated user", opts: formatOpts()}
}

func whoami(ctx context.Context, a *app, args *args) error {
	info, err := a.getObject(ctx, "/user", nil)
	if err != nil {
		if client.StatusOf(err) == http.StatusUnauthorized {
			a.println("Not authenticated")
		} else {
			a.println("Unable to retrieve currently logged-in user")
		}
		if a.debug {
			return err
		}
		var ce *client.ConnectionError
		if errors.As(err, &ce) {
			return err
		}
		return nil
	}
	auth := info.Object("authentication")
	rbac := info.Object("rbac")
	a.println(fmt.Sprintf("Currently logged in as %q.", pyfmt.Str(valueOr(info, "username", nil))))
	a.println("")
	a.println("Authentication method: " + pyfmt.Str(valueOr(auth, "method", nil)))
	if auth.String("method") == "authentication token" {
		a.println("Authentication token expire time: " + pyfmt.Str(valueOr(auth, "token_expire", nil)))
	}
	a.println("")
	a.println("RBAC:")
	a.println(" - Enabled: " + pyfmt.Str(valueOr(rbac, "enabled", nil)))
	var roles []string
	if l, ok := valueOr(rbac, "roles", nil).([]any); ok {
		for _, r := range l {
			roles = append(roles, pyfmt.Str(r))
		}
	}
	a.println(" - Roles: " + strings.Join(roles, ", "))
	return nil
}

// Packs.

var (
	packListAttrs = []string{"ref", "name", "description", "version", "author"}
	packGetAttrs  = []string{"name", "version", "author", "email", "keywords", "description"}
)

func packListSpec() *spec {
	return &spec{description: "Get the list of packs.", opts: resourceOpts(listOpts()...)}
}

func packList(ctx context.Context, a *app, args *args) error {
	return a.simpleList(ctx, args, "/packs", packListAttrs)
}

// simpleList is ResourceListCommand: GET <collection>?include_attributes=...
func (a *app) simpleList(ctx context.Context, args *args, path string, def []string) error {
	var q client.Query
	if inc := includeAttributes(args, def, nil); len(inc) > 0 {
		q.Add("include_attributes", strings.Join(inc, ","))
	}
	items, _, err := a.getList(ctx, path, q)
	if err != nil {
		return err
	}
	at := attrs(args, def)
	return a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), nil), nil
	})
}

var packGetSpec = getSpec("Get information about an installed pack.", "ref", "Reference or ID of the pack.")

func packGet(ctx context.Context, a *app, args *args) error {
	return a.simpleGet(ctx, args, "Pack", "/packs/", args.list("ref"), packGetAttrs, packGetAttrs)
}

// simpleGet is ResourceGetCommand: GET <collection>/<id> for each id.
func (a *app) simpleGet(ctx context.Context, args *args, display, prefix string, ids, def, order []string) error {
	items, err := a.getMany(ctx, display, ids, func(id string) (*client.Object, error) {
		return a.getByPK(ctx, prefix+url.PathEscape(id), nil)
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

func packRegisterSpec() *spec {
	return &spec{description: "Register pack(s): sync all file changes with DB.", opts: append(resourceOpts(),
		option{names: []string{"--types"}, dest: "types", kind: optList, help: "Types of content to register."}),
		pos: []positional{{name: "packs", nargs: '*', help: "Name of the pack(s) to register."}}}
}

func packRegister(ctx context.Context, a *app, args *args) error {
	body := client.NewObject()
	if t := args.list("types"); len(t) > 0 {
		body.Set("types", toAnyList(t))
	}
	if p := args.list("packs"); len(p) > 0 {
		body.Set("packs", toAnyList(p))
	}
	resp, err := a.do(ctx, client.API, http.MethodPost, "/packs/register", nil, body)
	if err == nil {
		var result *client.Object
		if result, err = objectOf(resp); err == nil {
			return a.printResult(args, result, []string{"all"}, func() (string, error) {
				return a.propertyValue(result, []string{"all"}, nil, nil), nil
			})
		}
	}
	var ce *client.ConnectionError
	if errors.As(err, &ce) {
		return err
	}
	a.println("ERROR: " + err.Error())
	return exitCode(exitUsage)
}

func toAnyList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// Runners.

var runnerAttrs = []string{"id", "name", "description"}

func runnerListSpec() *spec {
	return &spec{description: "Get the list of runners.", opts: resourceOpts(listOpts()...)}
}

func runnerList(ctx context.Context, a *app, args *args) error {
	return a.simpleList(ctx, args, "/runnertypes", runnerAttrs)
}

var runnerGetSpec = getSpec("Get individual runner.", "name-or-id", "Name or ID of the runner.")

func runnerGet(ctx context.Context, a *app, args *args) error {
	return a.simpleGet(ctx, args, "Runner", "/runnertypes/", args.list("name-or-id"), []string{"all"}, runnerAttrs)
}

// Key-value pairs.

var (
	keyListAttrs = []string{"name", "value", "secret", "encrypted", "scope", "user", "expire_timestamp"}
	keyGetAttrs  = []string{"name", "value", "secret", "encrypted", "scope", "expire_timestamp"}
	keySetAttrs  = []string{"name", "value", "scope", "expire_timestamp"}
)

// scopeOpt is -s/--scope with the help of key list and get; the default
// (all, or system) is applied where the option is read.
func scopeOpt() option {
	return option{names: []string{"-s", "--scope"}, dest: "scope", kind: optString, help: `Scope item is under. Example: "user".`}
}

// cudScopeOpt is -s/--scope as key set and delete word it.
func cudScopeOpt() option {
	return option{names: []string{"-s", "--scope"}, dest: "scope", kind: optString, help: "Specify the scope under which you want to place the item."}
}

func userOpt() option {
	return option{names: []string{"-u", "--user"}, dest: "user", kind: optString, help: "User for user scoped items (admin only)."}
}

func strOr(args *args, key, def string) string {
	if args.isSet(key) {
		return args.str(key)
	}
	return def
}

func keyListSpec() *spec {
	return &spec{description: "Get the list of the 50 most recent key value pairs.", opts: resourceOpts(append(listOpts(),
		option{names: []string{"--prefix"}, dest: "prefix", kind: optString, help: "Only return values with names starting with the provided prefix."},
		option{names: []string{"-d", "--decrypt"}, dest: "decrypt", kind: optBool, help: "Decrypt secrets and displays plain text."},
		scopeOpt(), userOpt(),
		option{names: []string{"-n", "--last"}, dest: "last", kind: optInt, help: "List N most recent key value pairs. Use -n -1 to fetch the full result set."},
	)...)}
}

func keyList(ctx context.Context, a *app, args *args) error {
	last := lastOrDefault(args)
	q := client.Query{{Key: "decrypt", Value: strconv.FormatBool(args.boolean("decrypt"))}, {Key: "scope", Value: strOr(args, "scope", "all")}}
	if u := args.str("user"); u != "" {
		q.Add("user", u)
	}
	q.Add("limit", strconv.Itoa(last))
	if p := args.str("prefix"); p != "" {
		q.Add("prefix", p)
	}
	items, resp, err := a.getList(ctx, "/keys/", q)
	if client.StatusOf(err) == http.StatusNotFound {
		items, resp, err = nil, nil, nil
	}
	if err != nil {
		return err
	}
	at := attrs(args, keyListAttrs)
	if args.boolean("json") || args.boolean("yaml") {
		reversed := make([]*client.Object, len(items))
		for i, it := range items {
			reversed[len(items)-1-i] = it
		}
		if args.boolean("json") {
			a.println(jsonOutput(reversed, at))
		} else {
			a.println(yamlOutput(reversed, at))
		}
		return nil
	}
	tf := transforms{"expire_timestamp": a.formatTime}
	if err := a.printResult(args, items, at, func() (string, error) {
		return a.multiColumn(items, at, args.ints("width"), tf), nil
	}); err != nil {
		return err
	}
	if resp != nil && last != 0 {
		if count, err := strconv.Atoi(resp.Header.Get("X-Total-Count")); err == nil && count > last {
			a.noteBox("key value pairs", last)
		}
	}
	return nil
}

func keyGetSpec() *spec {
	sp := getSpec("Get individual key value pair.", "name", "Name of the key value pair.",
		option{names: []string{"-d", "--decrypt"}, dest: "decrypt", kind: optBool, help: "Decrypt secret if encrypted and show plain text."},
		scopeOpt())()
	return sp
}

func keyGet(ctx context.Context, a *app, args *args) error {
	q := client.Query{{Key: "decrypt", Value: strconv.FormatBool(args.boolean("decrypt"))}, {Key: "scope", Value: strOr(args, "scope", "system")}}
	items, err := a.getMany(ctx, "Key Value Pair", args.list("name"), func(id string) (*client.Object, error) {
		return a.getByPK(ctx, "/keys/"+url.PathEscape(id), q)
	})
	if err != nil {
		return err
	}
	at := attrs(args, keyGetAttrs)
	for _, it := range items {
		if err := a.printResult(args, it, at, func() (string, error) {
			return a.propertyValue(it, at, []string{"id", "name", "description"}, nil), nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func keySetSpec() *spec {
	return &spec{description: "Set an existing key value pair.", opts: resourceOpts(
		option{names: []string{"-e", "--encrypt"}, dest: "secret", kind: optBool, help: "Encrypt value before saving.", mutex: "encrypt"},
		option{names: []string{"--encrypted"}, dest: "encrypted", kind: optBool, help: "Value provided is already encrypted with the instance crypto key and should be stored as-is.", mutex: "encrypt"},
		option{names: []string{"-l", "--ttl"}, dest: "ttl", kind: optInt, help: "TTL (in seconds) for this value."},
		cudScopeOpt(), userOpt(),
	), pos: []positional{{name: "name", nargs: '1', help: "Name of the key value pair."}, {name: "value", nargs: '?', help: "Value paired with the key."}}}
}

func keySet(ctx context.Context, a *app, args *args) error {
	if args.boolean("secret") && args.boolean("encrypted") {
		sp := keySetSpec()
		sp.prog = "st2 key set"
		return &usageError{prog: sp.prog, sp: sp, msg: "argument --encrypted: not allowed with argument -e/--encrypt"}
	}
	name := args.str("name")
	body := client.NewObject()
	body.Set("name", name)
	body.Set("scope", strOr(args, "scope", "system"))
	if u := args.str("user"); u != "" {
		body.Set("user", u)
	} else {
		body.Set("user", nil)
	}
	value := args.str("value")
	if value == "" {
		fmt.Fprint(a.stdout, "Please insert value for key: ")
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading the value: %w", err)
		}
		value = strings.TrimRight(line, "\r\n")
	}
	body.Set("value", value)
	if args.boolean("secret") {
		body.Set("secret", true)
	}
	if args.boolean("encrypted") {
		body.Set("encrypted", true)
	}
	if ttl, ok := args.integer("ttl"); ok && ttl != 0 {
		body.Set("ttl", ttl)
	}
	resp, err := a.do(ctx, client.API, http.MethodPut, "/keys/"+url.PathEscape(name), nil, body)
	if err != nil {
		return err
	}
	kv, err := objectOf(resp)
	if err != nil {
		return err
	}
	return a.printResult(args, kv, keySetAttrs, func() (string, error) {
		return a.propertyValue(kv, keySetAttrs, nil, nil), nil
	})
}

func keyDeleteSpec() *spec {
	return &spec{description: "Delete an existing key value pair.", opts: resourceOpts(cudScopeOpt(), userOpt()),
		pos: []positional{{name: "name", nargs: '1', help: "Name of the key value pair."}}}
}

func keyDelete(ctx context.Context, a *app, args *args) error {
	name := args.str("name")
	q := client.Query{{Key: "scope", Value: strOr(args, "scope", "system")}}
	if u := args.str("user"); u != "" {
		q.Add("user", u)
	}
	path := "/keys/" + url.PathEscape(name)
	kv, err := a.getByPK(ctx, path, q)
	if err != nil {
		return err
	}
	if kv == nil {
		a.printNotFound("Key Value Pair", name)
		return exitCode(exitUsage)
	}
	if _, err := a.do(ctx, client.API, http.MethodDelete, path, q, nil); err != nil && client.StatusOf(err) != http.StatusNotFound {
		return err
	}
	a.println(fmt.Sprintf("Resource with id %q has been successfully deleted.", name))
	return nil
}
