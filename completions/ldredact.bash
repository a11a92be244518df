# bash completion for ldredact(1)
_ldredact()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-p|--profile|--print-policy)
		COMPREPLY=($(compgen -W 'support customer legal sirt' -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "$(ldgrep --list-formats 2>/dev/null | cut -d' ' -f1)" -- "$cur")); return ;;
	--account|--own|--tenant|--year|--tz-assume)
		return ;;
	-k|--key|--new-key|-o|--output|--policy|--report|--scope|--format-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-k --key --new-key -o --output -p --profile --format
		    --format-file --account --own --policy --print-policy --raw --report
		    --scope --tenant --year --tz-assume --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ldredact ldredact
