# fish completion for ldgrep(1)
#
# The options are those of `ldgrep --list-options`; tests/t0110 checks that
# every one is here.

# Format names and descriptions from the ldgrep being completed, passing on
# the --format-file options already on the line.
function __ldgrep_formats
    set -l tokens (commandline -opc)
    set -l ff
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --format-file
                set i (math $i + 1)
                test $i -le (count $tokens); and set -a ff --format-file $tokens[$i]
            case '--format-file=*'
                set -a ff $tokens[$i]
        end
        set i (math $i + 1)
    end
    $tokens[1] $ff --list-formats 2>/dev/null | string replace -r '^(\S+)\s+' '$1\t'
end

complete -c ldgrep -s c -l count -d 'Print the number of matching lines per source'
complete -c ldgrep -s e -l regexp -x -d 'PCRE2 pattern the raw line must match (repeatable, ORed)'
complete -c ldgrep -s F -l fixed-strings -d 'Take the patterns as strings, not regular expressions'
complete -c ldgrep -s A -l after-context -x -d 'Print NUM lines after each match'
complete -c ldgrep -s B -l before-context -x -d 'Print NUM lines before each match'
complete -c ldgrep -s C -l context -x -d 'Print NUM lines before and after each match'
complete -c ldgrep -l count-all -d 'With -c, list the sources without matches too'
complete -c ldgrep -l color -x -a 'auto always never' -d 'Highlight matches and scope values'
complete -c ldgrep -s H -l with-filename -d 'With --raw, print the source name before each line'
complete -c ldgrep -s h -l no-filename -d 'With --raw, print no source names'
complete -c ldgrep -s m -l max-count -x -d 'Stop reading a source after NUM matching lines'
complete -c ldgrep -s n -l line-number -d 'With --raw, print line numbers'
complete -c ldgrep -s o -l only-matching -d 'Print only the matched parts of the lines'
complete -c ldgrep -s v -l invert-match -d 'Keep the lines the patterns do not match'
complete -c ldgrep -s w -l word-regexp -d 'Match the patterns only as whole words'
complete -c ldgrep -s p -l field -x -a 'ns= project= user= user_id= ip= event= cid=' -d 'Field predicate NAME=VALUE or NAME~RE'
complete -c ldgrep -s i -l ignore-case -d 'Match the pattern without regard to case'
complete -c ldgrep -s j -l threads -x -d 'Search N sources at once (1-64)'
complete -c ldgrep -s l -l files-with-matches -d 'Print only the sources with matches'
complete -c ldgrep -s q -l quiet -d 'Print nothing, exit 0 on a match'
complete -c ldgrep -l raw -d 'Print the original lines instead of ld-records'
complete -c ldgrep -l no-progress -d 'No progress line on a terminal'
complete -c ldgrep -l stats -d 'Print per-source counts to standard error'
complete -c ldgrep -l format -x -a '(__ldgrep_formats)' -d 'Try format NAME first for every line'
complete -c ldgrep -l format-file -r -F -d 'Add the format definition in FILE'
complete -c ldgrep -l list-formats -d 'List the known formats and exit'
complete -c ldgrep -l explain -d 'Print the scope as a readable predicate and exit'
complete -c ldgrep -l year -x -d 'Year for syslog times without one'
complete -c ldgrep -l tz-assume -x -a 'UTC' -d 'Zone for times without one'
complete -c ldgrep -l scope -r -F -d 'Read the request (ld-scope(5)) from FILE'
complete -c ldgrep -l ns -x -d 'Namespace (tenant) path, by whole segments'
complete -c ldgrep -l project -x -d 'Full project path'
complete -c ldgrep -l user -x -d 'User name (any case) or user id'
complete -c ldgrep -l account -x -d 'Owned account: its own events wherever they happened'
complete -c ldgrep -l event -x -d 'Event type or glob'
complete -c ldgrep -l ip -x -d 'Client address or CIDR block, IPv4 or IPv6'
complete -c ldgrep -l cid -x -d 'Correlation id'
complete -c ldgrep -l since -x -d 'From TIME on: RFC 3339, a date, or a span like 7d'
complete -c ldgrep -l until -x -d 'Before TIME (the window is half-open)'
complete -c ldgrep -l profile -x -a 'support\t"At most 7 days back, one tenant" sirt\t"At most 31 days back"' -d 'Bound the request by a profile'
complete -c ldgrep -l help -d 'Show the help and exit'
complete -c ldgrep -l version -d 'Show the version and exit'
complete -c ldgrep -l list-options -d 'List the options and exit'
complete -c ldgrep -l index -x -a '(__fish_complete_directories)' -d 'Skip what the indexes in DIR prove out of scope'
complete -c ldgrep -l no-index -d 'Use no index, not even the sidecars'
complete -c ldgrep -l shard -x -d 'Take only share I of N of the sources'
