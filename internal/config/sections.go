package config

import (
	"net"
	"slices"
	"strconv"
)

// The typed view of st2.conf: one struct per section, one field per option.
// The ini tags tie fields to the declarations in options.go; see the
// declarations for what each option means and its default.

// ActionSensor is [action_sensor].
type ActionSensor struct {
	EmitWhen []string `ini:"emit_when"`
	Enable   bool     `ini:"enable"`
}

// Actionrunner is [actionrunner].
type Actionrunner struct {
	ActionsPoolSize          int      `ini:"actions_pool_size"`
	ExitStillActiveCheck     int      `ini:"exit_still_active_check"`
	GracefulShutdown         bool     `ini:"graceful_shutdown"`
	Logging                  string   `ini:"logging"`
	PipOpts                  []string `ini:"pip_opts"`
	PythonBinary             string   `ini:"python_binary"`
	PythonRunnerLogLevel     string   `ini:"python_runner_log_level"`
	StillActiveCheckInterval int      `ini:"still_active_check_interval"`
	StreamOutput             bool     `ini:"stream_output"`
	StreamOutputBufferSize   int      `ini:"stream_output_buffer_size"`
	VirtualenvBinary         string   `ini:"virtualenv_binary"`
	VirtualenvOpts           []string `ini:"virtualenv_opts"`
	WorkflowsPoolSize        int      `ini:"workflows_pool_size"`
}

// API is [api].
type API struct {
	AllowOrigin        []string `ini:"allow_origin"`
	AuthCookieSameSite string   `ini:"auth_cookie_same_site"`
	AuthCookieSecure   bool     `ini:"auth_cookie_secure"`
	Debug              bool     `ini:"debug"`
	Host               string   `ini:"host"`
	Logging            string   `ini:"logging"`
	MaskSecrets        bool     `ini:"mask_secrets"`
	MaxPageSize        int      `ini:"max_page_size"`
	Port               int      `ini:"port"`
}

// Addr is the host:port the API service listens on.
func (a API) Addr() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// Auth is [auth].
type Auth struct {
	APIURL           string `ini:"api_url"`
	Backend          string `ini:"backend"`
	BackendKwargs    string `ini:"backend_kwargs"`
	Cert             string `ini:"cert"`
	Debug            bool   `ini:"debug"`
	Enable           bool   `ini:"enable"`
	Host             string `ini:"host"`
	Key              string `ini:"key"`
	Logging          string `ini:"logging"`
	Mode             string `ini:"mode"`
	Port             int    `ini:"port"`
	ServiceTokenTTL  int    `ini:"service_token_ttl"`
	SSO              bool   `ini:"sso"`
	SSOBackend       string `ini:"sso_backend"`
	SSOBackendKwargs string `ini:"sso_backend_kwargs"`
	TokenTTL         int    `ini:"token_ttl"`
	UseSSL           bool   `ini:"use_ssl"`
}

// Addr is the host:port the auth service listens on.
func (a Auth) Addr() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// Content is [content].
type Content struct {
	IndexURL  []string `ini:"index_url"`
	PackGroup string   `ini:"pack_group"`
	// PacksBasePaths is packs_base_paths split at colons, empty parts
	// dropped.
	PacksBasePaths        []string `ini:"packs_base_paths"`
	RunnersBasePaths      string   `ini:"runners_base_paths"`
	SystemPacksBasePath   string   `ini:"system_packs_base_path"`
	SystemRunnersBasePath string   `ini:"system_runners_base_path"`
}

// PackPaths is the pack search path as StackStorm builds it: the system
// packs directory first, then PacksBasePaths, without empty entries and
// duplicates.
func (c Content) PackPaths() []string {
	var out []string
	for _, p := range append([]string{c.SystemPacksBasePath}, c.PacksBasePaths...) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Coordination is [coordination].
type Coordination struct {
	LockTimeout     int    `ini:"lock_timeout"`
	ServiceRegistry bool   `ini:"service_registry"`
	URL             string `ini:"url"`
}

// Database is [database]. The deprecated names ssl and ssl_ca_certs fill
// TLS and TLSCAFile.
type Database struct {
	AuthenticationMechanism       string   `ini:"authentication_mechanism"`
	Compressors                   []string `ini:"compressors"`
	ConnectionRetryBackoffMaxS    int      `ini:"connection_retry_backoff_max_s"`
	ConnectionRetryBackoffMul     int      `ini:"connection_retry_backoff_mul"`
	ConnectionRetryMaxDelayM      int      `ini:"connection_retry_max_delay_m"`
	ConnectionTimeout             int      `ini:"connection_timeout"`
	DBName                        string   `ini:"db_name"`
	Host                          string   `ini:"host"`
	Password                      string   `ini:"password"`
	Port                          int      `ini:"port"`
	SSLCertReqs                   string   `ini:"ssl_cert_reqs"`
	SSLCertfile                   string   `ini:"ssl_certfile"`
	SSLKeyfile                    string   `ini:"ssl_keyfile"`
	SSLMatchHostname              bool     `ini:"ssl_match_hostname"`
	TLS                           bool     `ini:"tls"`
	TLSAllowInvalidCertificates   *bool    `ini:"tls_allow_invalid_certificates"`
	TLSAllowInvalidHostnames      *bool    `ini:"tls_allow_invalid_hostnames"`
	TLSCAFile                     string   `ini:"tls_ca_file"`
	TLSCertificateKeyFile         string   `ini:"tls_certificate_key_file"`
	TLSCertificateKeyFilePassword string   `ini:"tls_certificate_key_file_password"`
	Username                      string   `ini:"username"`
	ZlibCompressionLevel          *int     `ini:"zlib_compression_level"`
}

// DatabaseTLS is the TLS setup of the MongoDB connection once the old and
// new option names are reconciled.
type DatabaseTLS struct {
	Enabled                    bool
	CAFile                     string
	CertificateKeyFile         string
	CertificateKeyFilePassword string
	AllowInvalidCertificates   bool
	AllowInvalidHostnames      bool
}

// EffectiveTLS reconciles the tls_* options with their deprecated ssl_*
// predecessors the way StackStorm 3.9 does: a CA file, a client
// certificate or an authentication mechanism turn TLS on (the last is
// StackStorm's behaviour, kept for compatibility); unset
// tls_allow_invalid_* fall back to ssl_cert_reqs and ssl_match_hostname.
func (d Database) EffectiveTLS() DatabaseTLS {
	t := DatabaseTLS{
		Enabled:                    d.TLS || d.TLSCAFile != "" || d.TLSCertificateKeyFile != "" || d.AuthenticationMechanism != "",
		CAFile:                     d.TLSCAFile,
		CertificateKeyFile:         d.TLSCertificateKeyFile,
		CertificateKeyFilePassword: d.TLSCertificateKeyFilePassword,
	}
	switch {
	case d.TLSAllowInvalidCertificates != nil:
		t.AllowInvalidCertificates = *d.TLSAllowInvalidCertificates
	case d.SSLCertReqs != "":
		t.AllowInvalidCertificates = d.SSLCertReqs == "none"
	}
	if t.Enabled {
		if d.TLSAllowInvalidHostnames != nil {
			t.AllowInvalidHostnames = *d.TLSAllowInvalidHostnames
		} else {
			t.AllowInvalidHostnames = !d.SSLMatchHostname
		}
	}
	return t
}

// Garbagecollector is [garbagecollector]. A TTL of 0 means "keep forever".
type Garbagecollector struct {
	ActionExecutionsOutputTTL int     `ini:"action_executions_output_ttl"`
	ActionExecutionsTTL       int     `ini:"action_executions_ttl"`
	CollectionInterval        int     `ini:"collection_interval"`
	Logging                   string  `ini:"logging"`
	PurgeInquiries            bool    `ini:"purge_inquiries"`
	RuleEnforcementsTTL       int     `ini:"rule_enforcements_ttl"`
	SleepDelay                float64 `ini:"sleep_delay"`
	TaskExecutionsTTL         int     `ini:"task_executions_ttl"`
	TokensTTL                 int     `ini:"tokens_ttl"`
	TracesTTL                 int     `ini:"traces_ttl"`
	TriggerInstancesTTL       int     `ini:"trigger_instances_ttl"`
	WorkflowExecutionsTTL     int     `ini:"workflow_executions_ttl"`
}

// Keyvalue is [keyvalue].
type Keyvalue struct {
	EnableEncryption  bool   `ini:"enable_encryption"`
	EncryptionKeyPath string `ini:"encryption_key_path"`
}

// Log is [log].
type Log struct {
	Excludes             []string `ini:"excludes"`
	MaskSecrets          bool     `ini:"mask_secrets"`
	MaskSecretsBlacklist []string `ini:"mask_secrets_blacklist"`
	RedirectStderr       bool     `ini:"redirect_stderr"`
}

// Messaging is [messaging].
type Messaging struct {
	ClusterURLs         []string `ini:"cluster_urls"`
	Compression         string   `ini:"compression"`
	ConnectionRetries   int      `ini:"connection_retries"`
	ConnectionRetryWait int      `ini:"connection_retry_wait"`
	LoginMethod         string   `ini:"login_method"`
	Prefix              string   `ini:"prefix"`
	SSL                 bool     `ini:"ssl"`
	SSLCACerts          string   `ini:"ssl_ca_certs"`
	SSLCertReqs         string   `ini:"ssl_cert_reqs"`
	SSLCertfile         string   `ini:"ssl_certfile"`
	SSLKeyfile          string   `ini:"ssl_keyfile"`
	URL                 string   `ini:"url"`
}

// URLs are the broker URLs to try in turn: ClusterURLs when set, else URL.
func (m Messaging) URLs() []string {
	if len(m.ClusterURLs) > 0 {
		return slices.Clone(m.ClusterURLs)
	}
	return []string{m.URL}
}

// Metrics is [metrics].
type Metrics struct {
	Driver     string  `ini:"driver"`
	Host       string  `ini:"host"`
	Port       int     `ini:"port"`
	Prefix     string  `ini:"prefix"`
	SampleRate float64 `ini:"sample_rate"`
}

// Mistral is the legacy [mistral] section, kept so old config files load.
type Mistral struct {
	APIURL              string  `ini:"api_url"`
	Cacert              string  `ini:"cacert"`
	EnablePolling       bool    `ini:"enable_polling"`
	Insecure            bool    `ini:"insecure"`
	JitterInterval      float64 `ini:"jitter_interval"`
	KeystoneAuthURL     string  `ini:"keystone_auth_url"`
	KeystonePassword    string  `ini:"keystone_password"`
	KeystoneProjectName string  `ini:"keystone_project_name"`
	KeystoneUsername    string  `ini:"keystone_username"`
	RetryExpMaxMsec     int     `ini:"retry_exp_max_msec"`
	RetryExpMsec        int     `ini:"retry_exp_msec"`
	RetryStopMaxMsec    int     `ini:"retry_stop_max_msec"`
	V2BaseURL           string  `ini:"v2_base_url"`
}

// Notifier is [notifier].
type Notifier struct {
	Logging string `ini:"logging"`
}

// Packs is [packs].
type Packs struct {
	EnableCommonLibs bool `ini:"enable_common_libs"`
}

// RBAC is [rbac].
type RBAC struct {
	Backend             string `ini:"backend"`
	Enable              bool   `ini:"enable"`
	PermissionIsolation bool   `ini:"permission_isolation"`
	SyncRemoteGroups    bool   `ini:"sync_remote_groups"`
}

// ResultsTracker is the legacy [results_tracker] section.
type ResultsTracker struct {
	QueryInterval  *float64 `ini:"query_interval"`
	ThreadPoolSize *int     `ini:"thread_pool_size"`
}

// Rulesengine is [rulesengine].
type Rulesengine struct {
	Logging string `ini:"logging"`
}

// Scheduler is [scheduler].
type Scheduler struct {
	ExecutionSchedulingTimeoutThresholdMin float64 `ini:"execution_scheduling_timeout_threshold_min"`
	GCInterval                             float64 `ini:"gc_interval"`
	Logging                                string  `ini:"logging"`
	PoolSize                               int     `ini:"pool_size"`
	RetryMaxAttempt                        int     `ini:"retry_max_attempt"`
	RetryWaitMsec                          int     `ini:"retry_wait_msec"`
	SleepInterval                          float64 `ini:"sleep_interval"`
}

// Schema is [schema].
type Schema struct {
	Draft   string `ini:"draft"`
	Version int    `ini:"version"`
}

// Sensorcontainer is [sensorcontainer].
type Sensorcontainer struct {
	Logging           string            `ini:"logging"`
	PartitionProvider map[string]string `ini:"partition_provider"`
	SensorNodeName    string            `ini:"sensor_node_name"`
	SingleSensorMode  bool              `ini:"single_sensor_mode"`
}

// SSHRunner is [ssh_runner].
type SSHRunner struct {
	AllowPartialFailure bool   `ini:"allow_partial_failure"`
	MaxParallelActions  int    `ini:"max_parallel_actions"`
	RemoteDir           string `ini:"remote_dir"`
	SSHConfigFilePath   string `ini:"ssh_config_file_path"`
	SSHConnectTimeout   int    `ini:"ssh_connect_timeout"`
	UseSSHConfig        bool   `ini:"use_ssh_config"`
}

// Stream is [stream].
type Stream struct {
	Debug     bool   `ini:"debug"`
	Heartbeat int    `ini:"heartbeat"`
	Host      string `ini:"host"`
	Logging   string `ini:"logging"`
	Port      int    `ini:"port"`
}

// Addr is the host:port the stream service listens on.
func (s Stream) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Syslog is [syslog].
type Syslog struct {
	Facility string `ini:"facility"`
	Host     string `ini:"host"`
	Port     int    `ini:"port"`
	Protocol string `ini:"protocol"`
}

// System is [system].
type System struct {
	BasePath                  string `ini:"base_path"`
	Debug                     bool   `ini:"debug"`
	ValidateOutputSchema      bool   `ini:"validate_output_schema"`
	ValidateTriggerParameters bool   `ini:"validate_trigger_parameters"`
	ValidateTriggerPayload    bool   `ini:"validate_trigger_payload"`
}

// SystemUser is [system_user].
type SystemUser struct {
	SSHKeyFile string `ini:"ssh_key_file"`
	User       string `ini:"user"`
}

// Timer is the deprecated [timer] section. Its values are already folded
// into Config.Timersengine; read that instead.
type Timer struct {
	Enable        *bool  `ini:"enable"`
	LocalTimezone string `ini:"local_timezone"`
	Logging       string `ini:"logging"`
}

// Timersengine is [timersengine], with any values of the deprecated
// [timer] section applied on top the way StackStorm does.
type Timersengine struct {
	Enable        bool   `ini:"enable"`
	LocalTimezone string `ini:"local_timezone"`
	Logging       string `ini:"logging"`
}

// Webui is [webui].
type Webui struct {
	WebuiBaseURL string `ini:"webui_base_url"`
}

// WorkflowEngine is [workflow_engine].
type WorkflowEngine struct {
	ExitStillActiveCheck     int     `ini:"exit_still_active_check"`
	GCMaxIdleSec             int     `ini:"gc_max_idle_sec"`
	Logging                  string  `ini:"logging"`
	RetryMaxJitterMsec       float64 `ini:"retry_max_jitter_msec"`
	RetryStopMaxMsec         int     `ini:"retry_stop_max_msec"`
	RetryWaitFixedMsec       int     `ini:"retry_wait_fixed_msec"`
	StillActiveCheckInterval int     `ini:"still_active_check_interval"`
}

// ST2Go is [st2go], st2go's own section.
type ST2Go struct {
	// Bus is "memory" or "rabbitmq".
	Bus     string `ini:"bus"`
	DataDir string `ini:"data_dir"`
	LogDir  string `ini:"log_dir"`
	// Store is "embedded" or "mongodb".
	Store string `ini:"store"`
}
