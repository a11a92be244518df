# bash completion for ldsh(1)
_ldsh()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--scope|--format-file|--index)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-c|--command)
		COMPREPLY=($(compgen -W "ns project user event ip cid since until grep igrep field load clear scope source unsource count sources show save help quit" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-c --command --scope --format-file --index --no-index --help --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _ldsh ldsh
