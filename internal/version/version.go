// Package version holds st2go's version and the StackStorm version whose
// behaviour it follows.
package version

// Version is st2go's own version.
var Version = "0.1.0-dev"

// StackStorm is the StackStorm release whose API and content st2go follows.
const StackStorm = "3.9.0"
