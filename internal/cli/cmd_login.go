package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/st2go/st2go/internal/pyfmt"
)

// st2 login: get a token, cache it, and remember the user (and, with -w,
// the password) in the config file, as StackStorm's LoginCommand does.

// tokenExpireHours is the token lifetime the login note mentions; like
// StackStorm's CLI it is the server default, not the real TTL.
const tokenExpireHours = 24

func loginSpec() *spec {
	return &spec{description: "Authenticate user, acquire access token, and update CLI config directory", opts: append(formatOpts(),
		option{names: []string{"-p", "--password"}, dest: "password", kind: optString, help: "Password for the user. If password is not provided, it will be prompted for."},
		option{names: []string{"-l", "--ttl"}, dest: "ttl", kind: optInt, help: "The life span of the token in seconds. Max TTL configured by the admin supersedes this."},
		option{names: []string{"-w", "--write-password"}, dest: "write_password", kind: optBool, help: "Write the password in plain text to the config file (default is to omit it)"},
	), pos: []positional{{name: "username", nargs: '1', help: "Name of the user to authenticate."}}}
}

func login(ctx context.Context, a *app, args *args) error {
	user := args.str("username")
	if err := a.doLogin(ctx, args, user); err != nil {
		if a.debug || errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("Failed to log in as %s: %s", user, err.Error())
	}
	a.println("Logged in as " + user)
	if !args.boolean("write_password") {
		a.println("")
		a.println(fmt.Sprintf("Note: You didn't use --write-password option so the password hasn't been stored in the client config and you will need to login again in %d hours when the auth token expires.", tokenExpireHours))
		a.println(`As an alternative, you can run st2 login command with the "--write-password" flag, but keep it mind this will cause it to store the password in plain-text in the client config file (~/.st2/config).`)
	}
	return nil
}

func (a *app) doLogin(ctx context.Context, args *args, user string) error {
	password := args.str("password")
	if password == "" {
		p, err := a.readPassword()
		if err != nil {
			return err
		}
		password = p
	}
	ttl, _ := args.integer("ttl")
	tok, err := a.createToken(ctx, user, password, ttl)
	if err != nil {
		return err
	}
	if err := a.cacheToken(configDir(a.env), tok); err != nil {
		return err
	}

	path := a.configPath
	existed := true
	f, err := readINI(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, existed = &iniFile{}, false
	case err != nil:
		return err
	}
	creds := f.section("credentials")
	if creds == nil {
		creds = f.addSection("credentials")
	}
	if err := checkInterpolation(user); err != nil {
		return err
	}
	creds.set("username", user)
	if args.boolean("write_password") {
		if err := checkInterpolation(password); err != nil {
			return err
		}
		creds.set("password", password)
	} else {
		creds.remove("password")
	}
	if err := os.WriteFile(path, []byte(f.String()), 0o660); err != nil {
		return err
	}
	if !existed {
		// os.WriteFile's mode is masked by the umask; StackStorm sets it.
		return os.Chmod(path, 0o660)
	}
	return nil
}

var interpolationKey = regexp.MustCompile(`%\([^)]+\)s`)

// checkInterpolation is the check ConfigParser's BasicInterpolation makes
// before setting a value: a lone '%' is refused.
func checkInterpolation(v string) error {
	tmp := strings.ReplaceAll(v, "%%", "")
	tmp = interpolationKey.ReplaceAllString(tmp, "")
	if i := strings.IndexByte(tmp, '%'); i >= 0 {
		return fmt.Errorf("invalid interpolation syntax in %s at position %d", pyfmt.Repr(v), i)
	}
	return nil
}
