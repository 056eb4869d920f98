Console.Error.WriteLine("pwsync: not implemented yet");
return 2;
