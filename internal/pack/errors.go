package pack

import "github.com/st2go/st2go/internal/yamlfile"

// Error is a problem in one pack file, located by its one-based line (0
// when the problem concerns the file as a whole).
type Error = yamlfile.Error
