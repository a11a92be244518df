# bash completion for ldgrep(1)
#
# The options are those of `ldgrep --list-options`; tests/t0110 checks that
# every one of them is here.  Format names come from the ldgrep being
# completed, at completion time, so user formats (LD_FORMATS, --format-file)
# are offered too.

_ldgrep_formats()
{
	local cmd=$1 i ff=()

	# Pass on the --format-file options already on the line.
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		case ${COMP_WORDS[i]} in
		--format-file)
			if [[ ${COMP_WORDS[i+1]} == = ]]; then
				ff+=(--format-file "${COMP_WORDS[i+2]}")
			else
				ff+=(--format-file "${COMP_WORDS[i+1]}")
			fi
			;;
		esac
	done
	"$cmd" "${ff[@]}" --list-formats 2>/dev/null | while read -r name _; do
		printf '%s\n' "$name"
	done
}

_ldgrep()
{
	local cur prev cword=$COMP_CWORD
	local opts="
		--after-context -A
		--before-context -B
		--context -C
		--count -c
		--count-all
		--color
		--regexp -e
		--fixed-strings -F
		--field -p
		--with-filename -H
		--no-filename -h
		--ignore-case -i
		--max-count -m
		--line-number -n
		--only-matching -o
		--invert-match -v
		--word-regexp -w
		--threads -j
		--files-with-matches -l
		--quiet -q
		--raw
		--no-progress
		--stats
		--format
		--format-file
		--list-formats
		--explain
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
	# "--opt=value" arrives as "--opt" "=" "value" (= is a word break).
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((cword >= 2)); then
		prev=${COMP_WORDS[cword-2]}
	fi

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "$(_ldgrep_formats "${COMP_WORDS[0]}")" -- "$cur"))
		return
		;;
	--profile)
		COMPREPLY=($(compgen -W "support sirt" -- "$cur"))
		return
		;;
	--scope|--format-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--index)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--shard)
		COMPREPLY=()
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	-p|--field)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "ns= project= user= user_id= ip= event= cid= ns~ project~ user~ event~" -- "$cur"))
		return
		;;
	-e|--regexp|-j|--threads|-m|--max-count|-A|--after-context|-B|--before-context|-C|--context|--year|--tz-assume|--ns|--project|--user|--account|--event|--ip|--cid|--since|--until)
		# A value of the user's own: nothing to offer.
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

complete -F _ldgrep ldgrep
