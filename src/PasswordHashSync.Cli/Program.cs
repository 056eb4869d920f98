using System.Globalization;
using PasswordHashSync.Cli;

// Every message pwsync writes is English; System.CommandLine would translate its own ("Usage:", parse errors) under
// a non-English LANG and mix two languages in one screen, which scripts and admins reading logs do not expect.
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
return CliApplication.Run(args, CliContext.FromConsole());
