; VitalSync's NSIS additions (electron-builder includes this file in its installer script).
;
; The optional "vitalsync" command is a one-line launcher, vitalsync.cmd, that runs the installed
; VitalSync.exe with --cli. It goes into %LOCALAPPDATA%\Microsoft\WindowsApps, which Windows 10
; and 11 put on every user's PATH, so the installer never reads or writes the PATH variable:
; editing PATH from NSIS truncates one longer than NSIS_MAX_STRLEN (1024 characters in the
; standard build) and, with substring matching, removes the wrong entry.
;
; electron-builder's auto-update runs the old version's uninstaller with ${isUpdated} set and then
; this installer silently: the launcher and the vitalsync:// registration are kept then, and
; removed only by a real uninstall. Plain NSIS and LogicLib only: no third-party plugin.

!include "LogicLib.nsh"

!define VITALSYNC_LAUNCHER "Microsoft\WindowsApps\vitalsync.cmd"

; Writes the launcher for the user running the (un)installer. ReadEnvStr, not $LOCALAPPDATA:
; a per-machine install sets the shell context to all users, where $LOCALAPPDATA is ProgramData.
!macro vitalsyncWriteLauncher
  FileOpen $0 "$R0\${VITALSYNC_LAUNCHER}" w
  FileWrite $0 '@echo off$\r$\n"$INSTDIR\VitalSync.exe" --cli %*$\r$\n'
  FileClose $0
!macroend

!macro customInstall
  Push $R0
  Push $0
  ReadEnvStr $R0 LOCALAPPDATA
  ${If} ${FileExists} "$R0\${VITALSYNC_LAUNCHER}"
    ; Chosen at an earlier install (this is an update or a reinstall): keep it, pointing here.
    !insertmacro vitalsyncWriteLauncher
  ${ElseIf} ${FileExists} "$R0\Microsoft\WindowsApps\*.*"
    ${If} ${Cmd} `MessageBox MB_YESNO|MB_ICONQUESTION "Add the vitalsync command?$\r$\n$\r$\nIt lets you run VitalSync from a terminal: vitalsync status, vitalsync import export.zip ...$\r$\n$\r$\n(It is one small file, vitalsync.cmd, in $R0\Microsoft\WindowsApps; your PATH is not changed.)" /SD IDNO IDYES`
      !insertmacro vitalsyncWriteLauncher
    ${EndIf}
  ${EndIf}
  Pop $0
  Pop $R0
!macroend

!macro customUnInstall
  ${IfNot} ${isUpdated}
    Push $R0
    ReadEnvStr $R0 LOCALAPPDATA
    Delete "$R0\${VITALSYNC_LAUNCHER}"
    ; The vitalsync:// link the app registered for this user (app.setAsDefaultProtocolClient).
    DeleteRegKey HKCU "Software\Classes\vitalsync"
    Pop $R0
  ${EndIf}
!macroend
