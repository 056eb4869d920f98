using PasswordHashSync.Cli;

return CliApplication.Run(args, CliContext.FromConsole());
