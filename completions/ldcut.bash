# bash completion for ldcut(1)
_ldcut()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-f|--fields)
		COMPREPLY=($(compgen -W "ts src line fmt ns project user user_id ip event cid ev" -- "${cur##*,}"))
		return ;;
	-o|--output)
		COMPREPLY=($(compgen -W "jsonl csv tsv" -- "$cur")); return ;;
	--tz)
		COMPREPLY=($(compgen -W "UTC +00:00" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "$(ldcut --list-formats 2>/dev/null)" -- "$cur")); return ;;
	--missing|--year|--tz-assume)
		return ;;
	--format-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-f --fields -o --output --no-header --missing --tz --stats --format --format-file --year --tz-assume --help --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ldcut ldcut
