global using ModelDsl.Interop;
