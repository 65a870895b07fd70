package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/st2go/st2go/internal/client"
	"github.com/st2go/st2go/internal/pyfmt"
)

// st2 key load and st2 key delete_by_prefix (KeyValuePairLoadCommand and
// KeyValuePairDeleteByPrefixCommand).

var keyLoadAttrs = []string{"name", "value", "secret", "scope", "user", "ttl"}

func keyLoadSpec() *spec {
	return &spec{description: "Load a list of key value pairs from file.", opts: resourceOpts(
		option{names: []string{"-c", "--convert"}, dest: "convert", kind: optBool, help: "Convert non-string types (hash, array, boolean, int, float) to a JSON string before loading it into the datastore."},
	), pos: []positional{{name: "file", nargs: '1', help: "JSON/YAML file containing the key value pairs(s) to load"}}}
}

// keyLoad PUTs /keys/<name> for every item of the file, in order, and
// prints the items it sent (not the server's answers), as StackStorm does.
func keyLoad(ctx context.Context, a *app, args *args) error {
	path := args.str("file")
	if !filepath.IsAbs(path) {
		cwd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("finding the current directory: %w", err)
		}
		path = filepath.Join(cwd, path)
	}
	path = filepath.Clean(path)
	doc, err := loadMetaFile(path)
	if err != nil {
		return err
	}
	var instances []*client.Object
	if truthy(doc) {
		items, ok := doc.([]any)
		if !ok {
			items = []any{doc}
		}
		for _, it := range items {
			item, ok := it.(*client.Object)
			if !ok {
				return fmt.Errorf("%s: every key value pair must be a mapping, got %s", path, pyfmt.Repr(it))
			}
			kv, err := keyFromItem(item, args.boolean("convert"))
			if err != nil {
				return err
			}
			name := pyfmt.Str(valueOr(kv, "name", nil))
			if _, err := a.do(ctx, client.API, http.MethodPut, "/keys/"+url.PathEscape(name), nil, kv); err != nil {
				return err
			}
			instances = append(instances, kv)
		}
	}
	return a.printResult(args, instances, keyLoadAttrs, func() (string, error) {
		return a.multiColumn(instances, keyLoadAttrs, nil, nil), nil
	})
}

// keyFromItem builds the PUT body of one file item: name, value, scope
// (default "system"), then user, encrypted, secret and ttl when truthy.
func keyFromItem(item *client.Object, convert bool) (*client.Object, error) {
	name, ok := item.Get("name")
	if !ok {
		return nil, errors.New("'name'") // Python's KeyError
	}
	value, ok := item.Get("value")
	if !ok {
		return nil, errors.New("'value'")
	}
	if _, isStr := value.(string); !isStr {
		if !convert {
			return nil, fmt.Errorf("Item '%s' has a value that is not a string. Either pass in the -c/--convert option to convert non-string types to JSON strings automatically, or convert the data to a string in the file", pyfmt.Str(name))
		}
		value = pyfmt.JSON(value, -1, false)
	}
	kv := client.NewObject()
	kv.Set("name", name)
	kv.Set("value", value)
	kv.Set("scope", valueOr(item, "scope", "system"))
	for _, k := range []string{"user", "encrypted", "secret", "ttl"} {
		if v, _ := item.Get(k); truthy(v) {
			kv.Set(k, v)
		}
	}
	return kv, nil
}

func keyDeleteByPrefixSpec() *spec {
	return &spec{description: "Delete KeyValue pairs which match the provided prefix", opts: resourceOpts(
		option{names: []string{"-p", "--prefix"}, dest: "prefix", kind: optString, required: true, help: "Name prefix (e.g. twitter.TwitterSensor:)"},
	)}
}

// keyDeleteByPrefix is GET /keys?prefix=P, then DELETE /keys/<name> for
// each (no scope: the server's default, as in StackStorm).
func keyDeleteByPrefix(ctx context.Context, a *app, args *args) error {
	items, _, err := a.getList(ctx, "/keys", client.Query{{Key: "prefix", Value: args.str("prefix")}})
	if err != nil {
		return err
	}
	var deleted []string
	for _, kv := range items {
		name := pyfmt.Str(valueOr(kv, "name", nil))
		if _, err := a.do(ctx, client.API, http.MethodDelete, "/keys/"+url.PathEscape(name), nil, nil); err != nil && client.StatusOf(err) != http.StatusNotFound {
			return err
		}
		deleted = append(deleted, name)
	}
	a.println(fmt.Sprintf("Deleted %d keys", len(deleted)))
	a.println("Deleted key ids: " + strings.Join(deleted, ", "))
	return nil
}
