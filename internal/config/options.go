package config

import (
	"math"
	"slices"
	"strings"
)

// Type is the value type of an option: how its text is checked and
// converted.
type Type int

// Option types. The Go field of an option has the matching type: string,
// int, float64, bool, []string or map[string]string; a pointer to int,
// float64 or bool when the option has no default and "unset" must stay
// distinguishable from zero.
const (
	// TypeString is free text.
	TypeString Type = iota
	// TypeInt is a base-10 integer.
	TypeInt
	// TypeFloat is a decimal number.
	TypeFloat
	// TypeBool is true/false, yes/no, on/off or 1/0, in any case.
	TypeBool
	// TypeList is a comma-separated list; spaces around items are removed.
	TypeList
	// TypeDict is a comma-separated list of key:value pairs.
	TypeDict
	// TypePaths is a colon-separated list of directories (StackStorm keeps
	// it as a string and splits it where it is used).
	TypePaths
)

func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeInt:
		return "integer"
	case TypeFloat:
		return "float"
	case TypeBool:
		return "boolean"
	case TypeList:
		return "comma-separated list"
	case TypeDict:
		return "comma-separated key:value pairs"
	case TypePaths:
		return "colon-separated list of paths"
	default:
		return "unknown"
	}
}

// Redaction says how to hide the sensitive part of a value that is not a
// secret as a whole.
type Redaction int

const (
	// RedactNone shows the value as it is.
	RedactNone Redaction = iota
	// RedactURL hides the password in URLs (scheme://user:password@host)
	// and in password= query parameters.
	RedactURL
	// RedactJSON hides the values of password-, token- and secret-like
	// keys of a JSON object, or the whole value if it is not JSON but
	// mentions such a key.
	RedactJSON
)

// IntRange bounds an integer option, both ends included. Max is
// math.MaxInt for "no upper bound".
type IntRange struct{ Min, Max int }

// Option declares one option of a section.
type Option struct {
	Name string
	Type Type
	// Default is the default in INI syntax, as it would be written in
	// st2.conf; it may use $ interpolation. Empty means the option is
	// unset by default (None in StackStorm).
	Default string
	Help    string
	// Secret options (passwords, passphrases) are shown as ******** by
	// Dump and Value.Display with masking on.
	Secret bool
	// Redact hides part of a value that may embed credentials.
	Redact Redaction
	// DeprecatedNames are older names accepted in the same section, with a
	// warning. The current name wins when both are set.
	DeprecatedNames []string
	// Deprecated, when set, says why the option is deprecated and what to
	// use instead; setting it draws a warning.
	Deprecated string
	// Choices, when set, are the only values allowed (case-sensitive).
	// The empty string is allowed only if the default is empty.
	Choices []string
	// Range bounds integer options.
	Range *IntRange
}

// Section declares one [section] of st2.conf.
type Section struct {
	Name string
	Help string
	// Legacy, when set, says why StackStorm no longer uses the section;
	// st2go accepts its options, warns when they are set, and ignores them.
	Legacy  string
	Options []Option
}

// Option returns the declaration of the named option, looking at
// deprecated names too.
func (s *Section) Option(name string) (*Option, bool) {
	for i := range s.Options {
		o := &s.Options[i]
		if o.Name == name || slices.Contains(o.DeprecatedNames, name) {
			return o, true
		}
	}
	return nil, false
}

// Sections returns the declarations of every section st2go knows, in the
// order of the sample config. The result is a copy the caller may modify.
func Sections() []Section {
	out := make([]Section, len(declarations))
	for i, s := range declarations {
		s.Options = slices.Clone(s.Options)
		for j := range s.Options {
			s.Options[j] = s.Options[j].clone()
		}
		out[i] = s
	}
	return out
}

// clone copies the option deeply, so callers cannot change the
// declarations through it.
func (o Option) clone() Option {
	o.DeprecatedNames = slices.Clone(o.DeprecatedNames)
	o.Choices = slices.Clone(o.Choices)
	if o.Range != nil {
		r := *o.Range
		o.Range = &r
	}
	return o
}

// LookupOption finds the declaration of section.option. Section names are
// case-insensitive; option names may be deprecated names.
func LookupOption(section, option string) (*Option, bool) {
	s, ok := lookupSection(section)
	if !ok {
		return nil, false
	}
	o, ok := s.Option(option)
	if !ok {
		return nil, false
	}
	cp := o.clone()
	return &cp, true
}

func lookupSection(name string) (*Section, bool) {
	name = normalizeSection(name)
	for i := range declarations {
		if declarations[i].Name == name {
			return &declarations[i], true
		}
	}
	return nil, false
}

// normalizeSection applies oslo.config's rule: section names are
// case-insensitive, except that only "DEFAULT" itself is the default
// section.
func normalizeSection(name string) string {
	if name == defaultSection {
		return name
	}
	return strings.ToLower(name)
}

const defaultSection = "DEFAULT"

// removedSections are sections older StackStorm releases read. They are not
// declared, but a config file carried over from such a release may still
// have them, and the warning should say why they are ignored.
var removedSections = map[string]string{
	"api_pecan":      "it holds StackStorm's internal Python web-app settings, which st2go does not use",
	"exporter":       "st2exporter was removed from StackStorm",
	"resultstracker": "st2resultstracker was removed from StackStorm in 3.3",
}

// removedOptions are options of declared sections that older StackStorm
// releases read, keyed "section.option".
var removedOptions = map[string]string{
	"actionrunner.python3_binary": "StackStorm 3.x uses python_binary for every pack",
	"actionrunner.python3_prefix": "StackStorm 3.x uses python_binary for every pack",
}

// opt starts an option declaration; the methods below add to it.
func opt(name string, t Type, def, help string) Option {
	return Option{Name: name, Type: t, Default: def, Help: help}
}

func (o Option) secret() Option { o.Secret = true; return o }

func (o Option) redact(r Redaction) Option { o.Redact = r; return o }

func (o Option) alias(names ...string) Option { o.DeprecatedNames = names; return o }

func (o Option) deprecated(why string) Option { o.Deprecated = why; return o }

func (o Option) choices(c ...string) Option { o.Choices = c; return o }

func (o Option) between(lo, hi int) Option { o.Range = &IntRange{lo, hi}; return o }

func (o Option) atLeast(lo int) Option { return o.between(lo, math.MaxInt) }

const (
	helpLogging = "Python logging configuration file of this service in StackStorm. st2go logs with its own settings and reads this option only to report it."
	helpDebug   = "Run this service in debug mode (more logging, more detail in errors)."
	helpHost    = "Address the service listens on."
	portMax     = 65535
	ttlDaysHelp = " Empty or 0 keeps them forever."
)

// declarations is the single source of truth for st2.conf. Sections are in
// alphabetical order (as in StackStorm's sample) with st2go's own section
// last; options are alphabetical within a section.
var declarations = []Section{
	{
		Name: "action_sensor",
		Help: "The core.st2.generic.actiontrigger trigger, emitted when an execution finishes.",
		Options: []Option{
			opt("emit_when", TypeList, "succeeded,failed,timeout,canceled,abandoned",
				"Execution statuses that emit the trigger."),
			opt("enable", TypeBool, "True", "Emit the trigger at all."),
		},
	},
	{
		Name: "actionrunner",
		Help: "The action runner service, which runs actions through their runners.",
		Options: []Option{
			opt("actions_pool_size", TypeInt, "60", "How many ordinary actions one action runner runs at the same time.").atLeast(1),
			opt("exit_still_active_check", TypeInt, "300", "Seconds to wait at shutdown for running executions to finish."),
			opt("graceful_shutdown", TypeBool, "True", "At shutdown, wait for running executions (up to exit_still_active_check seconds) instead of abandoning them at once."),
			opt("logging", TypeString, "/etc/st2/logging.actionrunner.conf", helpLogging),
			opt("pip_opts", TypeList, "", "Extra arguments for \"pip install\" when installing the Python requirements of a pack."),
			opt("python_binary", TypeString, "/usr/bin/python3", "Python interpreter for Python actions and for creating pack virtualenvs."),
			opt("python_runner_log_level", TypeString, "DEBUG", "Log level inside Python actions unless the log_level runner parameter says otherwise."),
			opt("still_active_check_interval", TypeInt, "2", "Seconds between checks for running executions while waiting at shutdown."),
			opt("stream_output", TypeBool, "True", "Store action stdout and stderr as it is produced and stream it to clients."),
			opt("stream_output_buffer_size", TypeInt, "-1", "Buffering of action output when streaming: 0 unbuffered, 1 line-buffered, -1 the system default, any other number a buffer of about that many bytes."),
			opt("virtualenv_binary", TypeString, "/usr/bin/virtualenv", "Program that creates pack virtualenvs."),
			opt("virtualenv_opts", TypeList, "--system-site-packages", "Extra arguments for virtualenv when creating a pack virtualenv."),
			opt("workflows_pool_size", TypeInt, "40", "How many workflow actions one action runner runs at the same time.").atLeast(1),
		},
	},
	{
		Name: "api",
		Help: "The REST API service (/api/v1).",
		Options: []Option{
			opt("allow_origin", TypeList, "http://127.0.0.1:3000", "Origins allowed by CORS for the api, auth and stream services."),
			opt("auth_cookie_same_site", TypeString, "lax", "SameSite attribute of the auth-token cookie set when st2web logs in; \"unset\" leaves the attribute out.").choices("strict", "lax", "none", "unset"),
			opt("auth_cookie_secure", TypeBool, "True", "Set the Secure flag on the auth-token cookie. Turn off only when st2web is reached over plain http."),
			opt("debug", TypeBool, "False", helpDebug),
			opt("host", TypeString, "127.0.0.1", helpHost),
			opt("logging", TypeString, "/etc/st2/logging.api.conf", helpLogging),
			opt("mask_secrets", TypeBool, "True", "Mask secret parameters and values in API responses."),
			opt("max_page_size", TypeInt, "100", "Largest page (limit query parameter) a non-admin user may ask for."),
			opt("port", TypeInt, "9101", "Port the service listens on.").between(0, portMax),
		},
	},
	{
		Name: "auth",
		Help: "Authentication: the auth service (/auth/v1) and token checks in the api and stream services.",
		Options: []Option{
			opt("api_url", TypeString, "", "Public base URL of the API, without the version (for example https://st2.example.com/api). Given to actions and sensors so they can call back.").redact(RedactURL),
			opt("backend", TypeString, "flat_file", "Backend that checks user names and passwords in standalone mode (flat_file, ldap, pam)."),
			opt("backend_kwargs", TypeString, "", "JSON object of arguments for the auth backend, for example {\"file_path\": \"/etc/st2/htpasswd\"}. Passwords in it are masked when the configuration is printed.").redact(RedactJSON),
			opt("cert", TypeString, "/etc/apache2/ssl/mycert.crt", "TLS certificate file, used when use_ssl is on."),
			opt("debug", TypeBool, "False", helpDebug),
			opt("enable", TypeBool, "True", "Require a token or API key on API and stream requests."),
			opt("host", TypeString, "127.0.0.1", helpHost),
			opt("key", TypeString, "/etc/apache2/ssl/mycert.key", "TLS private key file, used when use_ssl is on."),
			opt("logging", TypeString, "/etc/st2/logging.auth.conf", helpLogging),
			opt("mode", TypeString, "standalone", "standalone: the auth service checks credentials with the backend. proxy: trust the user name a fronting proxy has authenticated.").choices("proxy", "standalone"),
			opt("port", TypeInt, "9100", "Port the service listens on.").between(0, portMax),
			opt("service_token_ttl", TypeInt, "86400", "Lifetime in seconds of the tokens StackStorm creates for its own actions and sensors."),
			opt("sso", TypeBool, "False", "Offer single sign-on in the web UI."),
			opt("sso_backend", TypeString, "noop", "Single sign-on backend (noop, saml2)."),
			opt("sso_backend_kwargs", TypeString, "", "JSON object of arguments for the single sign-on backend.").redact(RedactJSON),
			opt("token_ttl", TypeInt, "86400", "Longest lifetime in seconds of a user token, and the lifetime when the user asks for none."),
			opt("use_ssl", TypeBool, "False", "Serve the auth service over TLS, using cert and key."),
		},
	},
	{
		Name: "content",
		Help: "Where packs are found and installed from.",
		Options: []Option{
			opt("index_url", TypeList, "https://index.stackstorm.org/v1/index.json", "Pack index URLs searched by \"st2 pack search\" and \"st2 pack install <name>\"."),
			opt("pack_group", TypeString, "st2packs", "Unix group given write access to installed packs."),
			opt("packs_base_paths", TypePaths, "", "More directories searched for packs, after system_packs_base_path."),
			opt("runners_base_paths", TypeString, "", "Directories searched for runners.").deprecated("unused since StackStorm 3.0: runners are built in"),
			opt("system_packs_base_path", TypeString, "/opt/stackstorm/packs", "Directory of the system packs (core, linux, ...) and of packs installed with \"st2 pack install\". Without a config file st2go uses <base_path>/packs, where base_path is the per-user directory described in [system]."),
			opt("system_runners_base_path", TypeString, "/opt/stackstorm/runners", "Directory of the system runners.").deprecated("unused since StackStorm 3.0: runners are built in"),
		},
	},
	{
		Name: "coordination",
		Help: "Distributed locks and service membership (tooz in StackStorm).",
		Options: []Option{
			opt("lock_timeout", TypeInt, "60", "Seconds a lock lives if its holder disappears."),
			opt("service_registry", TypeBool, "False", "Register each running service so /api/v1/service_registry lists it."),
			opt("url", TypeString, "", "Coordination backend URL, for example redis://:password@127.0.0.1:6379. Empty: locks only work inside one process.").redact(RedactURL),
		},
	},
	{
		Name: "database",
		Help: "MongoDB connection (used when [st2go] store = mongodb).",
		Options: []Option{
			opt("authentication_mechanism", TypeString, "", "MongoDB authentication mechanism, for example SCRAM-SHA-256. Empty lets the server decide."),
			opt("compressors", TypeList, "", "Wire compression algorithms to offer the server, for example zstd,zlib. Empty: no compression."),
			opt("connection_retry_backoff_max_s", TypeInt, "10", "Longest wait in seconds between two connection attempts at startup."),
			opt("connection_retry_backoff_mul", TypeInt, "1", "Multiplier of the wait between connection attempts."),
			opt("connection_retry_max_delay_m", TypeInt, "3", "Minutes to keep trying to connect at startup."),
			opt("connection_timeout", TypeInt, "3000", "Connect and server selection timeout in milliseconds."),
			opt("db_name", TypeString, "st2", "Database name."),
			opt("host", TypeString, "127.0.0.1", "MongoDB host, or a full mongodb:// connection string (for a replica set: mongodb://n1,n2,n3/?replicaSet=rs0).").redact(RedactURL),
			opt("password", TypeString, "", "Password of username.").secret(),
			opt("port", TypeInt, "27017", "MongoDB port.").between(0, portMax),
			opt("ssl_cert_reqs", TypeString, "", "Whether the server certificate is required and checked.").choices("none", "optional", "required").deprecated("since StackStorm 3.9 use tls_allow_invalid_certificates: none means True, optional and required mean False"),
			opt("ssl_certfile", TypeString, "", "Client certificate file.").deprecated("ignored since StackStorm 3.9: put key and certificate in one file and set tls_certificate_key_file"),
			opt("ssl_keyfile", TypeString, "", "Client private key file.").deprecated("ignored since StackStorm 3.9: put key and certificate in one file and set tls_certificate_key_file"),
			opt("ssl_match_hostname", TypeBool, "True", "Check that the server certificate matches the host name.").deprecated("since StackStorm 3.9 use tls_allow_invalid_hostnames, with the opposite value"),
			opt("tls", TypeBool, "False", "Connect to MongoDB over TLS.").alias("ssl"),
			opt("tls_allow_invalid_certificates", TypeBool, "", "Accept a server certificate that does not validate. For debugging only. Unset: follow the deprecated ssl_cert_reqs, else False."),
			opt("tls_allow_invalid_hostnames", TypeBool, "", "Accept a server certificate issued for another host name. For debugging only. Unset: the opposite of the deprecated ssl_match_hostname, else False."),
			opt("tls_ca_file", TypeString, "", "CA certificates (PEM) that validate the server certificate. Setting it turns TLS on.").alias("ssl_ca_certs"),
			opt("tls_certificate_key_file", TypeString, "", "Client certificate and private key in one PEM file. Setting it turns TLS on."),
			opt("tls_certificate_key_file_password", TypeString, "", "Passphrase of an encrypted tls_certificate_key_file.").secret(),
			opt("username", TypeString, "", "User name to log in with. Empty: no authentication."),
			opt("zlib_compression_level", TypeInt, "", "zlib level (-1 to 9) when compressors includes zlib. Empty: the driver default (6).").between(-1, 9),
		},
	},
	{
		Name: "garbagecollector",
		Help: "The garbage collector service, which deletes old operational data. Time to live values are in days.",
		Options: []Option{
			opt("action_executions_output_ttl", TypeInt, "7", "Delete streamed action output older than this many days."+ttlDaysHelp).atLeast(0),
			opt("action_executions_ttl", TypeInt, "", "Delete executions (and their live actions and output) older than this many days."+ttlDaysHelp).atLeast(0),
			opt("collection_interval", TypeInt, "600", "Seconds between two collection runs."),
			opt("logging", TypeString, "/etc/st2/logging.garbagecollector.conf", helpLogging),
			opt("purge_inquiries", TypeBool, "False", "Time out inquiries whose own TTL has passed."),
			opt("rule_enforcements_ttl", TypeInt, "", "Delete rule enforcements older than this many days."+ttlDaysHelp).atLeast(0),
			opt("sleep_delay", TypeFloat, "2", "Seconds to pause between collecting two kinds of objects."),
			opt("task_executions_ttl", TypeInt, "", "Delete workflow task execution records older than this many days."+ttlDaysHelp).atLeast(0),
			opt("tokens_ttl", TypeInt, "", "Delete tokens that expired more than this many days ago."+ttlDaysHelp).atLeast(0),
			opt("traces_ttl", TypeInt, "", "Delete traces older than this many days."+ttlDaysHelp).atLeast(0),
			opt("trigger_instances_ttl", TypeInt, "", "Delete trigger instances older than this many days."+ttlDaysHelp).atLeast(0),
			opt("workflow_executions_ttl", TypeInt, "", "Delete workflow execution records older than this many days."+ttlDaysHelp).atLeast(0),
		},
	},
	{
		Name: "keyvalue",
		Help: "The datastore (key-value store).",
		Options: []Option{
			opt("enable_encryption", TypeBool, "True", "Allow secret (encrypted) datastore values."),
			opt("encryption_key_path", TypeString, "", "File holding the symmetric key that encrypts secret values, as written by st2-generate-symmetric-crypto-key (usually /etc/st2/keys/datastore_key.json)."),
		},
	},
	{
		Name: "log",
		Help: "Logging shared by all services.",
		Options: []Option{
			opt("excludes", TypeList, "", "Names of loggers whose records are dropped."),
			opt("mask_secrets", TypeBool, "True", "Mask secret values in log records."),
			opt("mask_secrets_blacklist", TypeList, "", "More attribute names whose values are masked in log records."),
			opt("redirect_stderr", TypeBool, "False", "Send what a service writes to stderr into its log."),
		},
	},
	{
		Name: "messaging",
		Help: "RabbitMQ connection (used when [st2go] bus = rabbitmq).",
		Options: []Option{
			opt("cluster_urls", TypeList, "", "URLs of every node of a RabbitMQ cluster, tried in turn; overrides url when set.").redact(RedactURL),
			opt("compression", TypeString, "", "Compress message payloads with this algorithm. Empty: no compression.").choices("zstd", "lzma", "bz2", "gzip"),
			opt("connection_retries", TypeInt, "10", "Connection attempts before giving up."),
			opt("connection_retry_wait", TypeInt, "10000", "Milliseconds between connection attempts."),
			opt("login_method", TypeString, "", "AMQP login method (AMQPLAIN, PLAIN, EXTERNAL). Empty: the client default."),
			opt("prefix", TypeString, "st2", "Prefix of every exchange and queue name."),
			opt("ssl", TypeBool, "False", "Connect over TLS; the same as ?ssl=true in the URL."),
			opt("ssl_ca_certs", TypeString, "", "CA certificates (PEM) that validate the broker certificate."),
			opt("ssl_cert_reqs", TypeString, "", "Whether the broker certificate is required and checked.").choices("none", "optional", "required"),
			opt("ssl_certfile", TypeString, "", "Client certificate file."),
			opt("ssl_keyfile", TypeString, "", "Client private key file."),
			opt("url", TypeString, "amqp://guest:guest@127.0.0.1:5672//", "Broker URL, amqp://user:password@host:port/vhost.").redact(RedactURL),
		},
	},
	{
		Name: "metrics",
		Help: "Metrics reporting.",
		Options: []Option{
			opt("driver", TypeString, "noop", "Metrics driver: noop, statsd or echo."),
			opt("host", TypeString, "127.0.0.1", "Host of the metrics server (statsd)."),
			opt("port", TypeInt, "8125", "Port of the metrics server (statsd).").between(0, portMax),
			opt("prefix", TypeString, "", "Prefix put before every metric name, to tell environments apart on a shared server."),
			opt("sample_rate", TypeFloat, "1", "Fraction of metric operations sent, from 0 to 1; 1 sends all."),
		},
	},
	{
		Name:   "mistral",
		Help:   "The Mistral workflow service, removed from StackStorm in 3.3 in favour of Orquesta.",
		Legacy: "Mistral was removed from StackStorm in 3.3; st2go runs Orquesta workflows only",
		Options: []Option{
			opt("api_url", TypeString, "", "StackStorm API base URL Mistral called back to. Empty: [auth] api_url.").redact(RedactURL),
			opt("cacert", TypeString, "", "CA certificate that validates the Mistral endpoint."),
			opt("enable_polling", TypeBool, "False", "Poll Mistral for results instead of waiting for callbacks."),
			opt("insecure", TypeBool, "False", "Do not validate the Mistral TLS certificate."),
			opt("jitter_interval", TypeFloat, "0.1", "Random delay spreading requests to the Mistral API."),
			opt("keystone_auth_url", TypeString, "", "Keystone authentication endpoint."),
			opt("keystone_password", TypeString, "", "Keystone password.").secret(),
			opt("keystone_project_name", TypeString, "", "Keystone project scope."),
			opt("keystone_username", TypeString, "", "Keystone user name."),
			opt("retry_exp_max_msec", TypeInt, "300000", "Longest single backoff between retries, in milliseconds."),
			opt("retry_exp_msec", TypeInt, "1000", "Multiplier of the exponential backoff, in milliseconds."),
			opt("retry_stop_max_msec", TypeInt, "600000", "Stop retrying after this many milliseconds."),
			opt("v2_base_url", TypeString, "http://127.0.0.1:8989/v2", "Root of the Mistral v2 API.").redact(RedactURL),
		},
	},
	{
		Name: "notifier",
		Help: "The notifier service (notifications and action triggers on execution completion).",
		Options: []Option{
			opt("logging", TypeString, "/etc/st2/logging.notifier.conf", helpLogging),
		},
	},
	{
		Name: "packs",
		Help: "Pack code sharing.",
		Options: []Option{
			opt("enable_common_libs", TypeBool, "False", "Put the lib/ directory of a pack on the Python path of its actions and sensors."),
		},
	},
	{
		Name: "rbac",
		Help: "Role-based access control. Not in StackStorm's sample config, but read by StackStorm.",
		Options: []Option{
			opt("backend", TypeString, "noop", "RBAC backend: noop allows everything; default enforces the role definitions."),
			opt("enable", TypeBool, "False", "Enforce RBAC."),
			opt("permission_isolation", TypeBool, "False", "Users see and act on only their own rules and executions; admins and the system user see all."),
			opt("sync_remote_groups", TypeBool, "False", "At login, give users the roles mapped to the groups their auth backend reports (for example LDAP groups)."),
		},
	},
	{
		Name:   "results_tracker",
		Help:   "Polling of external workflow systems, used by the removed Mistral runner.",
		Legacy: "the results tracker was removed from StackStorm together with Mistral",
		Options: []Option{
			opt("query_interval", TypeFloat, "", "Seconds between two queries for one workflow."),
			opt("thread_pool_size", TypeInt, "", "Threads querying external workflow systems."),
		},
	},
	{
		Name: "rulesengine",
		Help: "The rules engine service.",
		Options: []Option{
			opt("logging", TypeString, "/etc/st2/logging.rulesengine.conf", helpLogging),
		},
	},
	{
		Name: "scheduler",
		Help: "The scheduler service, which queues requested executions and applies policies.",
		Options: []Option{
			opt("execution_scheduling_timeout_threshold_min", TypeFloat, "1", "Minutes after which a queue item still being handled is taken as orphaned and handed out again."),
			opt("gc_interval", TypeFloat, "10", "Seconds between two searches for orphaned queue items."),
			opt("logging", TypeString, "/etc/st2/logging.scheduler.conf", helpLogging),
			opt("pool_size", TypeInt, "10", "How many executions are scheduled at the same time.").atLeast(1),
			opt("retry_max_attempt", TypeInt, "10", "Attempts at a scheduling step that fails on a database error."),
			opt("retry_wait_msec", TypeInt, "3000", "Milliseconds between those attempts."),
			opt("sleep_interval", TypeFloat, "0.1", "Seconds the main loop sleeps when the queue is empty."),
		},
	},
	{
		Name: "schema",
		Help: "JSON Schema dialect of parameter and output schemas.",
		Options: []Option{
			opt("draft", TypeString, "http://json-schema.org/draft-04/schema#", "URL of the JSON Schema draft."),
			opt("version", TypeInt, "4", "JSON Schema draft version."),
		},
	},
	{
		Name: "sensorcontainer",
		Help: "The sensor container service, which runs sensors.",
		Options: []Option{
			opt("logging", TypeString, "/etc/st2/logging.sensorcontainer.conf", helpLogging),
			opt("partition_provider", TypeDict, "name:default", "How sensors are split between sensor nodes: name:default (all on one node), name:kvstore, name:file,partition_file:<path>, or name:hash,hash_ranges:<ranges>."),
			opt("sensor_node_name", TypeString, "sensornode1", "Name of this sensor node, used by the partition provider."),
			opt("single_sensor_mode", TypeBool, "False", "Run one sensor and exit when it dies, leaving restarts to an outside supervisor such as Kubernetes."),
		},
	},
	{
		Name: "ssh_runner",
		Help: "The remote (SSH) runners.",
		Options: []Option{
			opt("allow_partial_failure", TypeBool, "False", "Count a run on several hosts as succeeded when at least one host succeeded."),
			opt("max_parallel_actions", TypeInt, "50", "Most SSH sessions one action opens at the same time.").atLeast(1),
			opt("remote_dir", TypeString, "/tmp", "Directory on the remote host that scripts are copied to."),
			opt("ssh_config_file_path", TypeString, "~/.ssh/config", "SSH client configuration file read when use_ssh_config is on."),
			opt("ssh_connect_timeout", TypeInt, "60", "Seconds to wait for an SSH connection."),
			opt("use_ssh_config", TypeBool, "False", "Apply the SSH client configuration file (host aliases, ports, proxies)."),
		},
	},
	{
		Name: "stream",
		Help: "The event stream service (/stream/v1, server-sent events).",
		Options: []Option{
			opt("debug", TypeBool, "False", helpDebug),
			opt("heartbeat", TypeInt, "25", "Seconds between keep-alive messages on an open stream.").atLeast(1),
			opt("host", TypeString, "127.0.0.1", helpHost),
			opt("logging", TypeString, "/etc/st2/logging.stream.conf", helpLogging),
			opt("port", TypeInt, "9102", "Port the service listens on.").between(0, portMax),
		},
	},
	{
		Name: "syslog",
		Help: "Syslog destination used by the syslog logging configurations.",
		Options: []Option{
			opt("facility", TypeString, "local7", "Syslog facility."),
			opt("host", TypeString, "127.0.0.1", "Syslog server host."),
			opt("port", TypeInt, "514", "Syslog server port.").between(0, portMax),
			opt("protocol", TypeString, "udp", "Transport to the syslog server: udp or tcp."),
		},
	},
	{
		Name: "system",
		Help: "System-wide settings.",
		Options: []Option{
			opt("base_path", TypeString, "/opt/stackstorm", "Root directory of StackStorm's files: packs, virtualenvs, pack configs. With no config file st2go uses a per-user directory instead: $ST2GO_HOME, else $XDG_DATA_HOME/st2go, else ~/.local/share/st2go."),
			opt("debug", TypeBool, "False", "Debug mode for every service."),
			opt("validate_output_schema", TypeBool, "False", "Check action results against the output schema of the action and runner."),
			opt("validate_trigger_parameters", TypeBool, "True", "Check the trigger parameters of rules against the trigger type schema also for non-system trigger types."),
			opt("validate_trigger_payload", TypeBool, "True", "Check dispatched trigger payloads against the trigger type schema also for non-system trigger types."),
		},
	},
	{
		Name: "system_user",
		Help: "The user StackStorm runs actions as.",
		Options: []Option{
			opt("ssh_key_file", TypeString, "/home/stanley/.ssh/stanley_rsa", "Private key the remote runners log in with by default."),
			opt("user", TypeString, "stanley", "Operating system and SSH user of actions, and the st2 user of rule-triggered executions."),
		},
	},
	{
		Name:   "timer",
		Help:   "Old name of [timersengine].",
		Legacy: "[timer] is deprecated: use [timersengine]",
		Options: []Option{
			opt("enable", TypeBool, "", "Old spelling of [timersengine] enable. Timers run if either is true."),
			opt("local_timezone", TypeString, "", "Old spelling of [timersengine] local_timezone; wins when set."),
			opt("logging", TypeString, "", "Old spelling of [timersengine] logging; wins when set."),
		},
	},
	{
		Name: "timersengine",
		Help: "The timers engine service (interval, date and cron timers). Only one may run.",
		Options: []Option{
			opt("enable", TypeBool, "True", "Run timers."),
			opt("local_timezone", TypeString, "America/Los_Angeles", "Time zone of cron and date timers that name none."),
			opt("logging", TypeString, "/etc/st2/logging.timersengine.conf", helpLogging),
		},
	},
	{
		Name: "webui",
		Help: "The web UI.",
		Options: []Option{
			opt("webui_base_url", TypeString, "https://localhost", "Base URL of the web UI, used for links to executions (for example in ChatOps replies). StackStorm defaults to https://<this host's FQDN>."),
		},
	},
	{
		Name: "workflow_engine",
		Help: "The workflow engine service (Orquesta).",
		Options: []Option{
			opt("exit_still_active_check", TypeInt, "300", "Seconds to wait at shutdown for workflows being processed."),
			opt("gc_max_idle_sec", TypeInt, "0", "Seconds a running workflow may go without progress before the garbage collector cancels it as orphaned; 0 never."),
			opt("logging", TypeString, "/etc/st2/logging.workflowengine.conf", helpLogging),
			opt("retry_max_jitter_msec", TypeFloat, "1000", "Largest random delay added to a retry, in milliseconds."),
			opt("retry_stop_max_msec", TypeInt, "60000", "Stop retrying a failed database or coordination call after this many milliseconds."),
			opt("retry_wait_fixed_msec", TypeInt, "1000", "Milliseconds between retries."),
			opt("still_active_check_interval", TypeInt, "2", "Seconds between checks while waiting at shutdown."),
		},
	},
	{
		Name: "st2go",
		Help: "st2go additions, not part of StackStorm: where st2go keeps its own data and which backends it uses.",
		Options: []Option{
			opt("bus", TypeString, "memory", "Message bus: memory (inside the st2go process; all services must run in one process) or rabbitmq (uses [messaging]).").choices("memory", "rabbitmq"),
			opt("data_dir", TypeString, "${system.base_path}/data", "Directory of the embedded store; by default data under [system] base_path."),
			opt("log_dir", TypeString, "${system.base_path}/logs", "Directory of st2go's log files; by default logs under [system] base_path."),
			opt("store", TypeString, "embedded", "Store: embedded (a file under data_dir) or mongodb (uses [database]).").choices("embedded", "mongodb"),
		},
	},
}
