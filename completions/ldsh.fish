# fish completion for ldsh(1)
complete -c ldsh -s c -l command -x -d 'run a command line, then exit' -a 'ns project user event ip cid since until grep igrep field load clear scope source unsource count sources show save help quit'
complete -c ldsh -l scope -r -F -d 'start from the request in FILE'
complete -c ldsh -l format-file -r -F -d 'add the format definition in FILE'
complete -c ldsh -l index -x -a '(__fish_complete_directories)' -d 'skip what the indexes in DIR prove out of scope'
complete -c ldsh -l no-index -d 'use no index, not even the sidecars'
complete -c ldsh -l help -d 'show help and exit'
complete -c ldsh -l version -d 'show the version and exit'
