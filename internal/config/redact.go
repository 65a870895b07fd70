package config

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// Mask replaces secret values when printing.
const Mask = "********"

// Display returns the value for printing. With mask set, secret options
// show as ********, URLs lose their passwords, and password-like keys of
// JSON arguments are masked; an empty value stays empty.
func (v Value) Display(mask bool) string {
	if !mask || v.Text == "" {
		return v.Text
	}
	if v.Option.Secret {
		return Mask
	}
	switch v.Option.Redact {
	case RedactURL:
		return redactURLs(v.Text)
	case RedactJSON:
		return redactJSON(v.Text)
	default:
		return v.Text
	}
}

var passwordParam = regexp.MustCompile(`(?i)([?&;](?:password|passwd|pass|pwd)=)[^&;#]*`)

// redactURLs masks the password of every scheme://user:password@host in s,
// which may hold several URLs (a comma-separated list) or a MongoDB URI
// with several hosts, and password query parameters.
func redactURLs(s string) string {
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i+3])
		rest = rest[i+3:]

		// The authority ends at the path, query or fragment, or before the
		// next URL of a list.
		end := len(rest)
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			end = j
		}
		if j := strings.Index(rest, "://"); j >= 0 && j < end {
			if k := strings.LastIndexByte(rest[:j], ','); k >= 0 {
				end = k
			}
		}
		authority := rest[:end]
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			userinfo := authority[:at]
			if c := strings.IndexByte(userinfo, ':'); c >= 0 {
				userinfo = userinfo[:c+1] + Mask
			}
			authority = userinfo + authority[at:]
		}
		b.WriteString(authority)
		rest = rest[end:]
	}
	return passwordParam.ReplaceAllString(b.String(), "${1}"+Mask)
}

// sensitiveKey reports whether a JSON key or text names a credential. It
// follows StackStorm's masking blacklist (password, token, secret,
// credentials) and adds the spellings auth backends use (bind_pw, passwd,
// api_key, private_key).
func sensitiveKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"pass", "secret", "token", "credential", "api_key", "apikey", "private_key"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return k == "pw" || strings.HasSuffix(k, "_pw")
}

// redactJSON masks the values of sensitive keys in a JSON document, at any
// depth. Text that is not JSON is masked whole if it mentions a sensitive
// word, since its structure is unknown.
func redactJSON(s string) string {
	var doc any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		if sensitiveKey(s) {
			return Mask
		}
		return s
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(maskJSON(doc)); err != nil {
		return Mask
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func maskJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if sensitiveKey(k) {
				v[k] = Mask
			} else {
				v[k] = maskJSON(x)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = maskJSON(x)
		}
	}
	return v
}
