package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/st2go/st2go/internal/store"
)

// listParams are the query parameters every list endpoint takes.
type listParams struct {
	limit   int // 0 = no limit
	offset  int
	include []string
	exclude []string
}

func parseList(r *http.Request) (listParams, error) {
	q := r.URL.Query()
	var p listParams
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badRequest("Limit \"%s\" specified, must be a number.", v)
		}
		switch {
		case n == 0:
			return p, badRequest("Limit, \"0\" specified, must be a positive number.")
		case n < -1:
			return p, badRequest("Limit, \"%d\" specified, must be a positive number.", n)
		case n == -1:
			n = 0
		}
		p.limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, badRequest("Offset \"%s\" specified, must be a positive number.", v)
		}
		p.offset = n
	}
	p.include = splitList(q["include_attributes"])
	p.exclude = splitList(q["exclude_attributes"])
	if len(p.include) > 0 && len(p.exclude) > 0 {
		return p, badRequest("exclude.*? and include.*? arguments are mutually exclusive. You need to provide either one or another, but not both.")
	}
	return p, nil
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// queryBool reads a Python-style boolean query parameter (True/true/1).
func queryBool(r *http.Request, name string) bool {
	switch strings.ToLower(r.URL.Query().Get(name)) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// page applies offset and limit to an in-memory list.
func page[T any](items []T, p listParams) []T {
	if p.offset >= len(items) {
		return []T{}
	}
	items = items[p.offset:]
	if p.limit > 0 && p.limit < len(items) {
		items = items[:p.limit]
	}
	return items
}

// listResponse writes a list with StackStorm's count headers, projected
// by include/exclude_attributes.
func listResponse[T any](items []T, total int, p listParams) (*response, error) {
	body, err := project(items, p)
	if err != nil {
		return nil, err
	}
	h := map[string]string{"X-Total-Count": strconv.Itoa(total)}
	if p.limit > 0 {
		h["X-Limit"] = strconv.Itoa(p.limit)
	}
	return &response{status: http.StatusOK, body: body, headers: h}, nil
}

// project keeps (include) or drops (exclude) dotted attribute paths of
// each item. "id" is always kept, as StackStorm does.
func project[T any](items []T, p listParams) (any, error) {
	if len(p.include) == 0 && len(p.exclude) == 0 {
		if items == nil {
			return []T{}, nil
		}
		return items, nil
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		v, err := projectOne(it, p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func projectOne(item any, p listParams) (any, error) {
	b, err := json.Marshal(item)
	if err != nil {
		return nil, fmt.Errorf("encoding item: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return item, nil //nolint:nilerr // not an object: nothing to project
	}
	if len(p.include) > 0 {
		out := map[string]any{}
		if id, ok := doc["id"]; ok {
			out["id"] = id
		}
		for _, path := range p.include {
			copyPath(doc, out, strings.Split(path, "."))
		}
		return out, nil
	}
	for _, path := range p.exclude {
		deletePath(doc, strings.Split(path, "."))
	}
	return doc, nil
}

func copyPath(src, dst map[string]any, path []string) {
	v, ok := src[path[0]]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[path[0]] = v
		return
	}
	sub, ok := v.(map[string]any)
	if !ok {
		return
	}
	d, _ := dst[path[0]].(map[string]any)
	if d == nil {
		d = map[string]any{}
		dst[path[0]] = d
	}
	copyPath(sub, d, path[1:])
}

func deletePath(doc map[string]any, path []string) {
	if len(path) == 1 {
		delete(doc, path[0])
		return
	}
	if sub, ok := doc[path[0]].(map[string]any); ok {
		deletePath(sub, path[1:])
	}
}

// listFiltered answers a list request: the items keep accepts, paged,
// with the count headers.
func listFiltered[T any](r *http.Request, all []T, keep func(T) bool) (*response, error) {
	p, err := parseList(r)
	if err != nil {
		return nil, err
	}
	out := []T{}
	for _, it := range all {
		if keep(it) {
			out = append(out, it)
		}
	}
	return listResponse(page(out, p), len(out), p)
}

// getOne answers a get-by-ref-or-id request with StackStorm's not-found message.
func getOne[T any](r *http.Request, key string, get func(ctx context.Context, refOrID string) (T, error)) (*response, error) {
	ref := r.PathValue(key)
	v, err := get(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Resource with a reference or id \"%s\" not found", ref)
	}
	if err != nil {
		return nil, err
	}
	return ok(v)
}
