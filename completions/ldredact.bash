# bash completion for ldredact(1)
_ldredact()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-p|--profile|--print-policy)
		COMPREPLY=($(compgen -W 'support customer legal' -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "$(ldgrep --list-formats 2>/dev/null | cut -d' ' -f1)" -- "$cur")); return ;;
	--own|--tenant|--year)
		return ;;
	-k|--key|--new-key|-o|--output|--policy|--report|--scope|--format-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-k --key --new-key -o --output -p --profile --format
		    --format-file --own --policy --print-policy --raw --report
		    --scope --tenant --year --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _ldredact ldredact
