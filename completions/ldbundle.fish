# fish completion for ldbundle(1)
set -l cmds create verify review approve export gap
complete -c ldbundle -f
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a create -d 'build a bag from ld-records'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a verify -d 'check a bag or a packed bag'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a review -d 'print the state and summary of a bag'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a approve -d 'sign a bag as security or legal'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a export -d 'pack a bag into tar.zst or zip'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -a gap -d 'write a draft issue about missing audit events'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -l help -d 'show usage'
complete -c ldbundle -n "not __fish_seen_subcommand_from $cmds" -l version -d 'show version'

complete -c ldbundle -n "__fish_seen_subcommand_from create" -F
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l force -d 'replace an existing output'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l organization -x -d 'Source-Organization of the bag'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -s o -l output -r -d 'bag directory to write'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l report -r -d 'redaction report made by ldredact'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l scope -r -d 'the request file'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l source-root -r -d 'where the records sources are'
complete -c ldbundle -n "__fish_seen_subcommand_from create" -l timeline -r -d 'prepared Timesketch CSV to include'

complete -c ldbundle -n "__fish_seen_subcommand_from verify" -F
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l fast -d 'structure and Payload-Oxum only'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l keyring -r -d 'trusted approvers: role, key and name'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l max-ratio -x -d 'unpack at most N bytes per archive byte'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l max-size -x -d 'unpack at most SIZE bytes'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -s q -l quiet -d 'print problems only'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l ready -d 'also require security and legal approval'
complete -c ldbundle -n "__fish_seen_subcommand_from verify" -l trust -r -d 'count only approvals by this key'

complete -c ldbundle -n "__fish_seen_subcommand_from review" -F
complete -c ldbundle -n "__fish_seen_subcommand_from review" -l html -r -d 'write the page with its approvals to FILE'
complete -c ldbundle -n "__fish_seen_subcommand_from review" -l keyring -r -d 'trusted approvers: role, key and name'

complete -c ldbundle -n "__fish_seen_subcommand_from approve" -F
complete -c ldbundle -n "__fish_seen_subcommand_from approve" -l force -d 'replace this reviewers approval'
complete -c ldbundle -n "__fish_seen_subcommand_from approve" -l key -r -d 'Ed25519 private key to sign with'
complete -c ldbundle -n "__fish_seen_subcommand_from approve" -l reviewer -x -d 'who approves'
complete -c ldbundle -n "__fish_seen_subcommand_from approve" -l role -x -a 'security legal' -d 'role of the reviewer'

complete -c ldbundle -n "__fish_seen_subcommand_from export" -F
complete -c ldbundle -n "__fish_seen_subcommand_from export" -l draft -d 'pack a bag that is not approved, marked as a draft'
complete -c ldbundle -n "__fish_seen_subcommand_from export" -l force -d 'replace an existing output'
complete -c ldbundle -n "__fish_seen_subcommand_from export" -l keyring -r -d 'trusted approvers: role, key and name'
complete -c ldbundle -n "__fish_seen_subcommand_from export" -s o -l output -r -d 'archive to write'

complete -c ldbundle -n "__fish_seen_subcommand_from gap" -F
