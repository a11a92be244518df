# bash completion for ldbundle(1)                             -*- shell-script -*-
# Works on a bare bash too: _init_completion and _filedir come with the
# bash-completion package, which is used when it is there.
_ldbundle_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir "$@"
		return
	fi
	compopt -o filenames 2>/dev/null
	if [[ $1 == -d ]]; then
		COMPREPLY+=($(compgen -d -- "$cur"))
	else
		COMPREPLY+=($(compgen -f -- "$cur"))
	fi
}

_ldbundle()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[cword]}
		prev=${COMP_WORDS[cword-1]}
	fi

	local cmds="create verify review approve export gap"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--scope|--report|--timeline|--key|--trust|--keyring|--html)
		_ldbundle_files
		return ;;
	-o|--output|--source-root)
		_ldbundle_files -d
		[[ ${words[1]} == export ]] && _ldbundle_files
		return ;;
	--role)
		COMPREPLY=($(compgen -W "security legal" -- "$cur"))
		return ;;
	--reviewer|--organization|--max-size|--max-ratio)
		return ;;
	esac
	local opts
	case ${words[1]} in
	create)  opts="--force --organization --output -o --report --scope --source-root --timeline --help" ;;
	verify)  opts="--fast --keyring --max-ratio --max-size --quiet -q --ready --trust --help" ;;
	review)  opts="--html --keyring --help" ;;
	gap)     opts="--help" ;;
	approve) opts="--force --key --reviewer --role --help" ;;
	export)  opts="--draft --force --keyring --output -o --help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		_ldbundle_files
	fi
} &&
complete -F _ldbundle ldbundle
