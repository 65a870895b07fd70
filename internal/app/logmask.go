package app

import (
	"context"
	"log/slog"
	"strings"
)

// maskedLogAttributes are the attribute names StackStorm masks in log
// records by default (MASKED_ATTRIBUTES_BLACKLIST); [log]
// mask_secrets_blacklist adds more.
var maskedLogAttributes = []string{"password", "auth_token", "token", "secret", "credentials", "st2_auth_token"}

// maskingHandler replaces the values of blacklisted attributes (at any
// group depth, and inside map values) with ******** before records reach
// the real handler ([log] mask_secrets).
type maskingHandler struct {
	next    slog.Handler
	blocked map[string]bool
}

func newMaskingHandler(next slog.Handler, extra []string) slog.Handler {
	blocked := map[string]bool{}
	for _, k := range append(append([]string{}, maskedLogAttributes...), extra...) {
		blocked[strings.ToLower(strings.TrimSpace(k))] = true
	}
	return &maskingHandler{next: next, blocked: blocked}
}

func (h *maskingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *maskingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.mask(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *maskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = h.mask(a)
	}
	return &maskingHandler{next: h.next.WithAttrs(masked), blocked: h.blocked}
}

func (h *maskingHandler) WithGroup(name string) slog.Handler {
	return &maskingHandler{next: h.next.WithGroup(name), blocked: h.blocked}
}

func (h *maskingHandler) mask(a slog.Attr) slog.Attr {
	if h.blocked[strings.ToLower(a.Key)] {
		return slog.String(a.Key, "********")
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		masked := make([]any, len(group))
		for i, g := range group {
			masked[i] = h.mask(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		if m, ok := v.Any().(map[string]any); ok {
			return slog.Any(a.Key, h.maskMap(m))
		}
	}
	return a
}

func (h *maskingHandler) maskMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch {
		case h.blocked[strings.ToLower(k)]:
			out[k] = "********"
		default:
			if sub, ok := v.(map[string]any); ok {
				out[k] = h.maskMap(sub)
			} else {
				out[k] = v
			}
		}
	}
	return out
}
