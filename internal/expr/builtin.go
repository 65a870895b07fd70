package expr

// RegisterBuiltins registers every function StackStorm and Orquesta add
// to their expression languages: the one explicit list. Jinja's own
// filters and YAQL's standard library live in their engines.
func RegisterBuiltins(r *Registry) {
	// Orquesta's functions (orquesta/expressions/functions).
	r.Register(ctxSpec)
	r.Register(jsonSpec)
	r.Register(zipSpec)
	r.Register(itemSpec)
	r.Register(taskStatusSpec)
	r.Register(succeededSpec)
	r.Register(failedSpec)
	r.Register(completedSpec)
	r.Register(resultSpec)

	// StackStorm's Orquesta functions (contrib/runners/orquesta_runner).
	r.Register(st2kvSpec)
	r.Register(taskSpec)

	// StackStorm's data, path, regex, time and version functions
	// (st2common/expressions/functions): filters in st2's Jinja, functions
	// in Orquesta.
	r.Register(basenameSpec)
	r.Register(dirnameSpec)
	r.Register(fromJSONStringSpec)
	r.Register(alias(fromJSONStringSpec, "json_parse", ScopeOrquesta))
	r.Register(fromYAMLStringSpec)
	r.Register(alias(fromYAMLStringSpec, "yaml_parse", ScopeOrquesta))
	r.Register(toJSONStringSpec)
	r.Register(alias(toJSONStringSpec, "json_dump", ScopeOrquesta))
	r.Register(toYAMLStringSpec)
	r.Register(alias(toYAMLStringSpec, "yaml_dump", ScopeOrquesta))
	r.Register(toComplexSpec)
	r.Register(jsonEscapeSpec)
	r.Register(jsonpathQuerySpec)
	r.Register(useNoneSpec)
	r.Register(decryptKVSpec)
	r.Register(regexMatchSpec)
	r.Register(regexReplaceSpec)
	r.Register(regexSearchSpec)
	r.Register(regexSubstringSpec)
	r.Register(toHumanTimeSpec)
	r.Register(versionCompareSpec)
	r.Register(versionMoreThanSpec)
	r.Register(versionLessThanSpec)
	r.Register(versionEqualSpec)
	r.Register(versionMatchSpec)
	r.Register(versionBumpMajorSpec)
	r.Register(versionBumpMinorSpec)
	r.Register(versionBumpPatchSpec)
	r.Register(versionStripPatchSpec)
}

// alias registers spec under another name and scope, without its
// examples (they already run under the first name).
func alias(spec FuncSpec, name string, scope Scope) FuncSpec {
	spec.Doc = "Alias of " + spec.Name + ". " + spec.Doc
	spec.Name = name
	spec.Scope = scope
	spec.Examples = nil
	return spec
}
