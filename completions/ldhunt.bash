# bash completion for ldhunt(1)
#
# The options are those of `ldhunt --list-options`; tests/t0110 checks that
# every one of them is here.

_ldhunt()
{
	local cur prev cword=$COMP_CWORD
	local opts="
		--regexp -e
		--field -p
		--ignore-case -i
		--threads -j
		--level -L
		--placeholder -P
		--quiet -q
		--rules -r
		--ip-list
		--list-rules
		--memory
		--pack
		--partial
		--stats
		--summary
		--format
		--format-file
		--tz-assume
		--year
		--scope
		--ns
		--project
		--user
		--account
		--event
		--ip
		--cid
		--since
		--until
		--profile
		--index
		--no-index
		--shard
		--help
		--version
		--list-options"

	cur=${COMP_WORDS[cword]}
	prev=${COMP_WORDS[cword-1]}
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((cword >= 2)); then
		prev=${COMP_WORDS[cword-2]}
	fi

	case $prev in
	-L|--level)
		COMPREPLY=($(compgen -W "informational low medium high critical" -- "$cur"))
		return
		;;
	--profile)
		COMPREPLY=($(compgen -W "support sirt" -- "$cur"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "$(ldgrep --list-formats 2>/dev/null | awk '{ print $1 }')" -- "$cur"))
		return
		;;
	-r|--rules|--scope|--format-file|--ip-list)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-p|--field)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "ns= project= user= user_id= ip= event= cid= ns~ project~ user~ event~" -- "$cur"))
		return
		;;
	--index)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-P|--placeholder)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "malicious_ips=" -- "$cur"))
		return
		;;
	-e|--regexp|-j|--threads|--memory|--year|--tz-assume|--ns|--project|--user|--account|--event|--ip|--cid|--since|--until|--shard)
		COMPREPLY=()
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _ldhunt ldhunt
