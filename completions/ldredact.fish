# fish completion for ldredact(1)
complete -c ldredact -s k -l key -r -F -d 'pseudonym key file'
complete -c ldredact -l new-key -r -F -d 'write a new 256-bit key and exit'
complete -c ldredact -s o -l output -r -F -d 'write the records to FILE'
complete -c ldredact -s p -l profile -x -a 'support customer legal sirt' -d 'built-in policy'
complete -c ldredact -l format -x -d 'parse plain lines with format NAME'
complete -c ldredact -l format-file -r -F -d 'add a format definition'
complete -c ldredact -l own -x -d "an account of the customer's own"
complete -c ldredact -l account -x -d 'an account the request names as owned'
complete -c ldredact -l policy -r -F -d 'the policy in FILE'
complete -c ldredact -l print-policy -x -a 'support customer legal sirt' -d 'print a built-in policy'
complete -c ldredact -l raw -d 'write the redacted events instead of ld-records'
complete -c ldredact -l report -r -F -d 'write the redaction report to FILE'
complete -c ldredact -l scope -r -F -d 'the request file'
complete -c ldredact -l tenant -x -d "the tenant's top-level namespace"
complete -c ldredact -l year -x -d 'year for syslog times without one'
complete -c ldredact -l tz-assume -x -a 'UTC' -d 'zone for times without one'
complete -c ldredact -l help -d 'show the help'
complete -c ldredact -l version -d 'show the version'
