package cli

import "github.com/anmitsu/go-shlex"

// splitCommand splits an SSH command line into words as a POSIX shell
// would (quotes, backslashes), with the same splitter the SSH library
// uses. An unterminated quote is a usage error, never a guess.
func splitCommand(line string) ([]string, error) {
	words, err := shlex.Split(line, true)
	if err != nil {
		return nil, usagef("cannot split the command line: %v", err)
	}
	return words, nil
}

// RunLine runs an SSH command line: split into words, then Run.
func RunLine(env Env, line string) int {
	args, err := splitCommand(line)
	if err != nil {
		return newApp(env).report(nil, err)
	}
	return Run(env, args)
}
